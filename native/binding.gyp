# binding.gyp: the GNA native addon. CUDA code is built when scripts/cuda-config.js finds nvcc
# and libcudart_static.a; otherwise the CPU-only build (reference forward, tile ranges, and
# stubs that answer "built without CUDA"). Run through scripts/build.js, not by hand.
{
  'variables': {
    # '%' = default, overridable: node-gyp configure -- -Dgna_nvcc=   (forces CPU-only)
    'gna_nvcc%': '<!(node scripts/cuda-config.js nvcc)',
    'gna_cuda_libdir%': '<!(node scripts/cuda-config.js libdir)',
    # SASS for Ampere (sm_80) and Hopper (sm_90), PTX for newer GPUs; --threads 0 compiles the
    # targets in parallel; -lineinfo lets compute-sanitizer name source lines.
    'gna_nvcc_flags%': '-O3 -std=c++17 -Xcompiler -fPIC --threads 0 -lineinfo -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90',
    # The Hopper kernel (wgmma, setmaxnreg) exists only as sm_90a SASS: compute capability 9.0
    # exactly; gna_cuda.cu checks the device before launching it.
    'gna_nvcc_sm90_flags%': '-O3 -std=c++17 -Xcompiler -fPIC -lineinfo -gencode arch=compute_90a,code=sm_90a',
    # The FA2-class portable kernel (issue 23): SASS for Ampere (sm_80), its consumer and
    # workstation parts (sm_86, sm_89: 99 KB of shared memory per block, which its builds fit)
    # and Hopper (sm_90, where it is measured beside FlashAttention-2), PTX for newer GPUs.
    'gna_nvcc_fa2_flags%': '-O3 -std=c++17 -Xcompiler -fPIC --threads 0 -lineinfo -gencode arch=compute_80,code=sm_80 -gencode arch=compute_86,code=sm_86 -gencode arch=compute_89,code=sm_89 -gencode arch=compute_90,code=sm_90 -gencode arch=compute_90,code=compute_90',
  },
  'targets': [
    {
      # The sm_90a translation unit, apart because it needs other nvcc flags than gna_cuda.cu.
      'target_name': 'gna_sm90',
      'conditions': [
        ['gna_nvcc!=""', {
          'type': 'static_library',
          'sources': ['src/gna_sm90.cu', 'src/gna_sm90_backward.cu'],
          'include_dirs': ['src'],
          'rules': [
            {
              'rule_name': 'nvcc_sm90a',
              'extension': 'cu',
              'inputs': ['<!@(node scripts/cuda-config.js headers)'],
              'outputs': ['<(INTERMEDIATE_DIR)/<(RULE_INPUT_ROOT).cu.o'],
              'action': ['<(gna_nvcc)', '<@(gna_nvcc_sm90_flags)', '-Isrc', '-c', '<(RULE_INPUT_PATH)', '-o', '<@(_outputs)'],
              'message': 'NVCC sm_90a <(RULE_INPUT_PATH)',
              'process_outputs_as_sources': 1,
            },
          ],
        }, {
          'type': 'none',
        }],
      ],
    },
    {
      # The FA2-class portable kernel, apart for its own list of architectures.
      'target_name': 'gna_fa2',
      'conditions': [
        ['gna_nvcc!=""', {
          'type': 'static_library',
          'sources': ['src/gna_fa2.cu'],
          'include_dirs': ['src'],
          'rules': [
            {
              'rule_name': 'nvcc_fa2',
              'extension': 'cu',
              'inputs': ['<!@(node scripts/cuda-config.js headers)'],
              'outputs': ['<(INTERMEDIATE_DIR)/<(RULE_INPUT_ROOT).cu.o'],
              'action': ['<(gna_nvcc)', '<@(gna_nvcc_fa2_flags)', '-Isrc', '-c', '<(RULE_INPUT_PATH)', '-o', '<@(_outputs)'],
              'message': 'NVCC fa2 <(RULE_INPUT_PATH)',
              'process_outputs_as_sources': 1,
            },
          ],
        }, {
          'type': 'none',
        }],
      ],
    },
    {
      'target_name': 'gna_native',
      'sources': ['src/addon.cc', 'src/gna_reference.cc'],
      'include_dirs': ['src'],
      # node_addon_api_except: include path, NAPI_CPP_EXCEPTIONS, and no -fno-exceptions
      'dependencies': ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      'defines': ['NAPI_VERSION=8'],
      'cflags_cc': ['-std=c++17', '-O2'],
      # Resolve every symbol at load: a missing one throws from require() instead of killing
      # node with "symbol lookup error" at the first call.
      'ldflags': ['-Wl,-z,now'],
      'conditions': [
        ['gna_nvcc!=""', {
          'sources': ['src/gna_cuda.cu'],
          'dependencies': ['gna_sm90', 'gna_fa2'],
          'rules': [
            {
              'rule_name': 'nvcc',
              'extension': 'cu',
              'inputs': ['<!@(node scripts/cuda-config.js headers)'],
              'outputs': ['<(INTERMEDIATE_DIR)/<(RULE_INPUT_ROOT).cu.o'],
              'action': ['<(gna_nvcc)', '<@(gna_nvcc_flags)', '-Isrc', '-c', '<(RULE_INPUT_PATH)', '-o', '<@(_outputs)'],
              'message': 'NVCC <(RULE_INPUT_PATH)',
              'process_outputs_as_sources': 1,
            },
          ],
          'library_dirs': ['<(gna_cuda_libdir)'],
          # cudart linked statically: the .node needs only libc/libstdc++ and the NVIDIA driver,
          # which cudart opens itself at the first CUDA call.
          'libraries': ['-lcudart_static', '-ldl', '-lrt', '-lpthread'],
          'ldflags': ['-Wl,--exclude-libs,ALL'],
        }, {
          # CPU-only: no CUDA, and no fused backward (gna_backward_unavailable.cc says so).
          'sources': ['src/gna_cuda_stubs.cc', 'src/gna_backward_unavailable.cc'],
        }],
      ],
    },
  ],
}
