"""Mask preview e2e fixture: two 2-D calls on a 48x64 token grid."""
from natten.functional import na2d


def dilated(q, k, v):
    # gna: input_size=(48, 64)
    return na2d(q, k, v, kernel_size=(13, 13), stride=(4, 4), dilation=(1, 2))


def sliding(q, k, v):
    # gna: input_size=(48, 64)
    return na2d(q, k, v, kernel_size=(9, 9))
