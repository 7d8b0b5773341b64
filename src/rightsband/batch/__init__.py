"""The batch engine: label the score columns of a CSV stream, copying every other byte through.

Modules, each importing only those above it: ``prefetch`` (a helper process that reads ahead),
``labeller`` (one mapping's outcomes, block by block), ``summary`` (the counts of a run),
``writers`` (the output formats), ``run`` (:func:`label_csv`, :func:`label_blocks`).
"""

from __future__ import annotations

from rightsband.batch.run import (
    EVERY_MAPPING,
    FIND_YEAR_COLUMN,
    OUTPUT_FORMATS,
    YEARS_FROM,
    CsvError,
    LabelledBlock,
    Labelling,
    Mapping,
    MappingError,
    Problem,
    ProblemBatch,
    RankDirectionError,
    Report,
    StopAtProblem,
    Tally,
    label_blocks,
    label_csv,
)

__all__ = [
    "EVERY_MAPPING", "FIND_YEAR_COLUMN", "OUTPUT_FORMATS", "YEARS_FROM", "CsvError", "LabelledBlock", "Labelling",
    "Mapping", "MappingError", "Problem", "ProblemBatch", "RankDirectionError", "Report", "StopAtProblem", "Tally",
    "label_blocks", "label_csv",
]
