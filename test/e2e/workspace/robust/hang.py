from natten.functional import na1d
# gna: input_size=(67108864,)
y = na1d(q, k, v, kernel_size=33554432)
