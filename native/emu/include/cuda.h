// Stand-in for the CUDA driver API's cuda.h in the CPU emulation (native/emu/README.md): the tensor
// map types and cuTensorMapEncodeTiled, whose emulated tensor map records the arguments (checked as
// the driver API documents them) for the emulated TMA (hopper_emu.h) to read.
#ifndef GNA_EMU_CUDA_H
#define GNA_EMU_CUDA_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint32_t cuuint32_t;
typedef uint64_t cuuint64_t;

typedef enum CUresult_enum { CUDA_SUCCESS = 0, CUDA_ERROR_INVALID_VALUE = 1 } CUresult;

// The driver API's enumerators, with its values (CUDA Driver API, "Tensor Map Object Management").
typedef enum CUtensorMapDataType_enum {
  CU_TENSOR_MAP_DATA_TYPE_UINT8 = 0,
  CU_TENSOR_MAP_DATA_TYPE_UINT16,
  CU_TENSOR_MAP_DATA_TYPE_UINT32,
  CU_TENSOR_MAP_DATA_TYPE_INT32,
  CU_TENSOR_MAP_DATA_TYPE_UINT64,
  CU_TENSOR_MAP_DATA_TYPE_INT64,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT16,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT32,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT64,
  CU_TENSOR_MAP_DATA_TYPE_BFLOAT16,
  CU_TENSOR_MAP_DATA_TYPE_FLOAT32_FTZ,
  CU_TENSOR_MAP_DATA_TYPE_TFLOAT32,
  CU_TENSOR_MAP_DATA_TYPE_TFLOAT32_FTZ
} CUtensorMapDataType;
typedef enum CUtensorMapInterleave_enum {
  CU_TENSOR_MAP_INTERLEAVE_NONE = 0,
  CU_TENSOR_MAP_INTERLEAVE_16B,
  CU_TENSOR_MAP_INTERLEAVE_32B
} CUtensorMapInterleave;
typedef enum CUtensorMapSwizzle_enum {
  CU_TENSOR_MAP_SWIZZLE_NONE = 0,
  CU_TENSOR_MAP_SWIZZLE_32B,
  CU_TENSOR_MAP_SWIZZLE_64B,
  CU_TENSOR_MAP_SWIZZLE_128B
} CUtensorMapSwizzle;
typedef enum CUtensorMapL2promotion_enum {
  CU_TENSOR_MAP_L2_PROMOTION_NONE = 0,
  CU_TENSOR_MAP_L2_PROMOTION_L2_64B,
  CU_TENSOR_MAP_L2_PROMOTION_L2_128B,
  CU_TENSOR_MAP_L2_PROMOTION_L2_256B
} CUtensorMapL2promotion;
typedef enum CUtensorMapFloatOOBfill_enum {
  CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE = 0,
  CU_TENSOR_MAP_FLOAT_OOB_FILL_NAN_REQUEST_ZERO_FMA
} CUtensorMapFloatOOBfill;

// The opaque 128-byte, 64-byte aligned object, as the driver API declares it.
typedef struct CUtensorMap_st {
  alignas(64) cuuint64_t opaque[16];
} CUtensorMap;

namespace emu {
// What the emulation keeps in a CUtensorMap's opaque bytes: the encoder's arguments.
struct TensorMapImage {
  static constexpr uint32_t kMagic = 0x7e45a9d1u;
  uint32_t magic;
  uint8_t type, elem_bytes, rank, interleave, swizzle, oob_fill;
  const unsigned char* global;
  cuuint64_t dims[5];
  cuuint64_t strides[5];  // bytes; strides[0] = the element size (dimension 0 is dense)
  uint16_t box[5];
  uint8_t element_strides[5];
};
static_assert(sizeof(TensorMapImage) <= sizeof(CUtensorMap), "an emulated tensor map fits the opaque object");

inline int tensor_map_elem_bytes(CUtensorMapDataType t) {
  switch (t) {
    case CU_TENSOR_MAP_DATA_TYPE_UINT8:
      return 1;
    case CU_TENSOR_MAP_DATA_TYPE_UINT16:
    case CU_TENSOR_MAP_DATA_TYPE_FLOAT16:
    case CU_TENSOR_MAP_DATA_TYPE_BFLOAT16:
      return 2;
    case CU_TENSOR_MAP_DATA_TYPE_UINT64:
    case CU_TENSOR_MAP_DATA_TYPE_INT64:
    case CU_TENSOR_MAP_DATA_TYPE_FLOAT64:
      return 8;
    default:
      return 4;
  }
}

// The swizzle span in bytes (0: none).
inline int swizzle_bytes(int swizzle) { return swizzle == CU_TENSOR_MAP_SWIZZLE_128B ? 128 : swizzle == CU_TENSOR_MAP_SWIZZLE_64B ? 64 : swizzle == CU_TENSOR_MAP_SWIZZLE_32B ? 32 : 0; }
}  // namespace emu

// cuTensorMapEncodeTiled with the requirements the CUDA Driver API reference lists for it (each
// violated one is CUDA_ERROR_INVALID_VALUE, with the reason on stderr): rank 1-5 (3-5 interleaved);
// global address 16-byte aligned (32 with 32-byte interleave); 0 < globalDim[i] <= 2^32;
// globalStrides[i] (rank - 1 of them, for dimensions 1..rank-1) multiples of 16 below 2^40;
// 0 < boxDim[i] <= 256, boxDim[0] · element size a multiple of 16 bytes without interleave;
// 1 <= elementStrides[i] <= 8; with a swizzle and no interleave, boxDim[0] · element size at most
// the swizzle span; the NaN out-of-bounds fill only for floating-point types.
inline CUresult cuTensorMapEncodeTiled(CUtensorMap* map, CUtensorMapDataType type, cuuint32_t rank, void* global, const cuuint64_t* dims,
                                       const cuuint64_t* strides, const cuuint32_t* box, const cuuint32_t* element_strides,
                                       CUtensorMapInterleave interleave, CUtensorMapSwizzle swizzle, CUtensorMapL2promotion,
                                       CUtensorMapFloatOOBfill oob_fill) {
  auto bad = [](const char* why) {
    fprintf(stderr, "emulation: cuTensorMapEncodeTiled: %s\n", why);
    return CUDA_ERROR_INVALID_VALUE;
  };
  const int esize = emu::tensor_map_elem_bytes(type);
  if (!map) return bad("null tensor map");
  if (rank < 1 || rank > 5 || (interleave != CU_TENSOR_MAP_INTERLEAVE_NONE && rank < 3)) return bad("tensorRank out of range");
  if ((uintptr_t)global % (interleave == CU_TENSOR_MAP_INTERLEAVE_32B ? 32 : 16) != 0) return bad("globalAddress misaligned");
  emu::TensorMapImage m{};
  m.magic = emu::TensorMapImage::kMagic;
  m.type = (uint8_t)type;
  m.elem_bytes = (uint8_t)esize;
  m.rank = (uint8_t)rank;
  m.interleave = (uint8_t)interleave;
  m.swizzle = (uint8_t)swizzle;
  m.oob_fill = (uint8_t)oob_fill;
  m.global = static_cast<const unsigned char*>(global);
  for (cuuint32_t i = 0; i < 5; ++i) {
    m.dims[i] = 1;
    m.box[i] = 1;
    m.element_strides[i] = 1;
  }
  m.strides[0] = (cuuint64_t)esize;
  for (cuuint32_t i = 0; i < rank; ++i) {
    if (dims[i] == 0 || dims[i] > (1ull << 32)) return bad("globalDim out of range");
    if (box[i] == 0 || box[i] > 256) return bad("boxDim out of range");
    if (element_strides[i] < 1 || element_strides[i] > 8) return bad("elementStrides out of range");
    m.dims[i] = dims[i];
    m.box[i] = (uint16_t)box[i];
    m.element_strides[i] = (uint8_t)element_strides[i];
    if (i > 0) {
      if (strides[i - 1] % 16 != 0 || strides[i - 1] >= (1ull << 40)) return bad("globalStrides must be multiples of 16 below 2^40");
      m.strides[i] = strides[i - 1];
    }
  }
  if (interleave == CU_TENSOR_MAP_INTERLEAVE_NONE && (box[0] * esize) % 16 != 0) return bad("boxDim[0] * element size must be a multiple of 16 bytes");
  if (interleave == CU_TENSOR_MAP_INTERLEAVE_NONE && swizzle != CU_TENSOR_MAP_SWIZZLE_NONE && (int)(box[0] * esize) > emu::swizzle_bytes(swizzle)) {
    return bad("boxDim[0] * element size exceeds the swizzle span");
  }
  if (interleave != CU_TENSOR_MAP_INTERLEAVE_NONE) return bad("interleaved layouts are not emulated");
  const bool floating = type == CU_TENSOR_MAP_DATA_TYPE_FLOAT16 || type == CU_TENSOR_MAP_DATA_TYPE_FLOAT32 || type == CU_TENSOR_MAP_DATA_TYPE_FLOAT64 ||
                        type == CU_TENSOR_MAP_DATA_TYPE_BFLOAT16 || type >= CU_TENSOR_MAP_DATA_TYPE_FLOAT32_FTZ;
  if (oob_fill == CU_TENSOR_MAP_FLOAT_OOB_FILL_NAN_REQUEST_ZERO_FMA && !floating) return bad("NaN fill needs a floating-point type");
  memset(map, 0, sizeof *map);
  memcpy(map, &m, sizeof m);
  return CUDA_SUCCESS;
}

#endif  // GNA_EMU_CUDA_H
