# The model factory of backbone.py's block: one dilation per stage (see backbone.py's comment).
from backbone import DilatedBlock


def tiny(dilations=(1, 8, 1)):
    return [DilatedBlock(64, 2, kernel_size=7, dilation=d) for d in dilations]
