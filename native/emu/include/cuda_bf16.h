// Stand-in for CUDA's cuda_bf16.h in the CPU emulation (see cuda_fp16.h here).
#ifndef GNA_EMU_CUDA_BF16_H
#define GNA_EMU_CUDA_BF16_H
struct __nv_bfloat16 {
  unsigned short x;
};
unsigned short __bfloat16_as_ushort(__nv_bfloat16);
__nv_bfloat16 __ushort_as_bfloat16(unsigned short);
__nv_bfloat16 __float2bfloat16_rn(float);
float __bfloat162float(__nv_bfloat16);
#endif
