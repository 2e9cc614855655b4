"""The `covers` domain: teams, articles, candidate images, assessments, crops and cover choices."""
