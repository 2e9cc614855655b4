// The one place that knows the API's candidate shape (coverapp.covers.api.serializers).

/** Flattens an API candidate (assessment nested) into what the review and crop views read. */
export function fromApi(candidate) {
  const assessment = candidate.assessment ?? {};
  return {
    id: candidate.id,
    filename: candidate.original_name || `candidate ${candidate.id}`,
    imageUrl: candidate.display_url ?? candidate.image_url,
    width: candidate.width,
    height: candidate.height,
    nearDuplicateOf: candidate.near_duplicate_of,
    earlierCovers: candidate.earlier_covers ?? [],
    status: assessment.status ?? "queued",
    error: assessment.error ?? "",
    clarity: assessment.clarity ?? null,
    coverScore: assessment.cover_score ?? null,
    rank: assessment.rank ?? null,
    reasons: assessment.reasons ?? [],
    maskUrl: assessment.mask_url ?? null,
    faces: assessment.faces ?? [],
    crops: candidate.crops ?? [],
    focus: candidate.focus ?? null,
    credit: candidate.credit ?? "",
    caption: candidate.caption ?? "",
    altText: candidate.alt_text ?? "",
  };
}

/** The candidate chosen as cover (the API stores one choice per slot ratio), or null. */
export function chosenCandidateId(article) {
  const choices = article.cover ?? [];
  return choices.length ? choices[0].candidate : null;
}

/** Slot ratio -> id of the candidate chosen for that slot (slots may show different ones). */
export function coverByRatio(article) {
  return Object.fromEntries((article.cover ?? []).map((choice) => [choice.ratio, choice.candidate]));
}
