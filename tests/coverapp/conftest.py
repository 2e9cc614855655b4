"""Fixtures of the domain tests."""

from __future__ import annotations

import pytest

from coverapp.covers.services import assessment_run


@pytest.fixture
def classical_assessor(settings):
    """The fast classical assessor, in-process; the network is exercised by the end-to-end test."""
    settings.COVERAPP_ASSESSOR = "classical"
    assessment_run.predictor.cache_clear()
    yield
    assessment_run.predictor.cache_clear()
