"""tools/fresh_scores.py (issue 17, round 7): a spent collection scored by the matcher from before it
was read; the weight of the similar-texts layer changes the answers; bad input is exit 2."""

from __future__ import annotations

import pytest

import fresh_scores  # tools/
from code_prior_texts import SPENT_BLIND_5_COMMIT  # tools/
from support.diagnose_corpus import SPENT_BLIND_5, load_corpus


@pytest.mark.slow
def test_a_collection_scored_by_its_earlier_matcher_and_by_other_weights() -> None:
    """Blind set 4 with 31a8e50's matcher: its score as a blind set (README: 70.4 % top-1, 14
    "unknown"), and with the layer switched off it scores lower (README round 7: 0 < 0.2)."""
    one = ((SPENT_BLIND_5_COMMIT, SPENT_BLIND_5),)
    got = fresh_scores.scores([None, 0.0], one)
    own, off = got[None], got[0.0]
    assert own.total == off.total == len(load_corpus(SPENT_BLIND_5))
    assert (own.top1, own.unknown) == (126, 14)  # 126 / 179 = 70.4 %
    assert off.top1 < own.top1


@pytest.mark.parametrize("argv", [["--blend", "-1"], ["--blend", "x"], ["--nope"]])
def test_bad_input_is_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert fresh_scores.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("fresh_scores: ") and "\n" not in err and "Traceback" not in err
