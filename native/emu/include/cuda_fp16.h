// Stand-in for CUDA's cuda_fp16.h in the CPU emulation (cuda_emu.h): the kernels' headers name
// __half only in code the emulation never runs (it instantiates them on its own element types).
#ifndef GNA_EMU_CUDA_FP16_H
#define GNA_EMU_CUDA_FP16_H
struct __half {
  unsigned short x;
};
unsigned short __half_as_ushort(__half);
__half __ushort_as_half(unsigned short);
__half __float2half_rn(float);
float __half2float(__half);
#endif
