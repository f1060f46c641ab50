# A model whose token layout only exists at run time: the e2e tests trace run.py, then this file
# shows the traced layouts.
from natten.functional import na2d


class Attention:
    def __init__(self, kernel):
        self.kernel = kernel

    def __call__(self, q):
        return na2d(q, q, q, kernel_size=self.kernel, stride=(2, 2))
