"""Object-centred, face-safe crop proposals for slot aspect ratios.

``propose_crops(foreground, faces=..., ratios=["16:9", "1:1", "free"], image_size=(W, H))``
returns one ``CropProposal`` (box, score, reasons) per ratio; ``describe_crop`` gives the same
reasons for any box (an editor's); ``focal_point`` is the one point to keep for a CMS that crops
for itself. See ``search.py`` for how windows are scored and ``proposals.py`` for how the winner
becomes an exact pixel box.
"""

from assessment.cropping.focal import focal_point
from assessment.cropping.proposals import CropProposal, describe_crop, propose_crops
from assessment.cropping.ratios import FREE, Ratio, crop_size, parse_ratio
from assessment.cropping.search import CropWeights

__all__ = [
    "FREE",
    "CropProposal",
    "CropWeights",
    "Ratio",
    "crop_size",
    "describe_crop",
    "focal_point",
    "parse_ratio",
    "propose_crops",
]
