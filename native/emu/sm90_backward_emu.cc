// sm90_backward_emu.cc: backward_emu.cc with the Hopper backward as its main kernel
// (GNA_EMU_HOPPER_BACKWARD: gna_sm90_backward.cuh on hopper_emu.h's TMA, mbarriers and wgmma, its host
// side gna_sm90_backward.cu compiled unchanged); the same protocol. Built and driven by
// test/gpu/backward-emulate.ts --hopper.
#define GNA_EMU_HOPPER_BACKWARD 1
#include "backward_emu.cc"
