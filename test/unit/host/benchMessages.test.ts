// What the benchmark commands say: which reason keeps a GPU benchmark from running (with the
// real addon on this machine too), the simulated numbers beside it, GPU info and failures.
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { simulate } from '../../../extension/core/simulator';
import { AddonLoader, GnaNative, gnaNative } from '../../../extension/native';
import {
  DeviceInfoLike,
  gpuInfoLines,
  measuredMessage,
  notMeasuredDetail,
  notMeasuredMessage,
  runFailedMessage,
  simulatedSentence,
  UnavailableKind,
  unavailableReason,
} from '../../../extension/host/pure/benchMessages';
import { noAddonAdvice } from '../../../extension/native/packageTarget';
import { fixtureRecord } from '../../support/benchRecords';

const H100 = { index: 0, name: 'NVIDIA H100 80GB HBM3', computeCapability: '9.0', multiprocessors: 132, totalMemBytes: 85029158912 };
const CUDA: DeviceInfoLike = { addonLoaded: true, addonPath: '/x/gna_native.node', builtWithCuda: true, available: true, message: '1 CUDA device(s)', runtimeVersion: 13000, driverVersion: 13000, devices: [H100] };
const FLUX_STRIDED = { inputSize: [256, 256], windowSize: [80, 80], stride: [16, 16], dilation: [1, 1], causal: [false, false] };

describe('host: benchmark messages', () => {
  it('says which reason, in the order a user would fix them', () => {
    assert.equal(unavailableReason(CUDA, true), undefined);
    assert.equal(unavailableReason(CUDA, false)?.kind, 'untrusted', 'trust first, whatever the GPU');
    const cases: [Partial<DeviceInfoLike>, string, RegExp][] = [
      [{ addonLoaded: false, builtWithCuda: false, available: false, code: 'GNA_ERR_NOT_BUILT', message: 'The GNA native addon is not built. Looked for:\n  /a' }, 'no-addon', /not built/],
      [{ addonLoaded: false, builtWithCuda: false, available: false, code: 'GNA_ERR_LOAD', message: 'could not be loaded: wrong ELF class\nmore' }, 'load-failed', /could not be loaded/],
      [{ builtWithCuda: false, available: false, code: 'GNA_ERR_NOT_BUILT', message: 'CPU-only build', driverVersion: 0, runtimeVersion: 0, devices: [] }, 'cpu-only', /CPU-only build/],
      [{ available: false, driverVersion: 0, devices: [], message: 'no CUDA device: cudaGetDeviceCount: CUDA driver version is insufficient' }, 'no-driver', /no NVIDIA driver/],
      [{ available: false, driverVersion: 12020, devices: [], message: 'no CUDA device: insufficient driver' }, 'old-driver', /driver \(CUDA 12\.2\) is older than the addon's CUDA runtime \(13\.0\)/],
      [{ available: false, driverVersion: 13000, devices: [], message: 'no CUDA device: cudaErrorNoDevice' }, 'no-device', /no usable CUDA GPU/],
    ];
    for (const [change, kind, title] of cases) {
      const reason = unavailableReason({ ...CUDA, ...change }, true);
      assert.equal(reason?.kind, kind, JSON.stringify(change));
      assert.match(reason!.title, title);
      assert.ok(!reason!.detail.includes('\n'), 'one line');
    }
    assert.equal(unavailableReason(undefined, true, 'dlopen failed\nstack')?.detail, 'dlopen failed');
  });

  it('names the real addon’s reason on this machine (CUDA build, no driver), none on a GPU, and no addon', () => {
    const missing = new GnaNative(new AddonLoader(() => ['/nowhere/gna_native.node'])).deviceInfo();
    assert.equal(unavailableReason(missing, true)?.kind, 'no-addon');
    const info = gnaNative().deviceInfo();
    // The machine as the addon describes it, in the terms a user would check.
    const machine = info.available ? 'a usable GPU' : !info.addonLoaded ? 'no built addon' : !info.builtWithCuda ? 'a CPU-only build' : info.driverVersion === 0 ? 'no NVIDIA driver' : 'a driver but no usable device';
    const expected = { 'a usable GPU': undefined, 'no built addon': info.code === 'GNA_ERR_LOAD' ? 'load-failed' : 'no-addon', 'a CPU-only build': 'cpu-only', 'no NVIDIA driver': 'no-driver', 'a driver but no usable device': info.driverVersion < info.runtimeVersion ? 'old-driver' : 'no-device' }[machine];
    assert.equal(unavailableReason(info, true)?.kind, expected, `${machine}: ${info.message}`);
  });

  it('notifies briefly: the reason, the config and its simulated speedup; what to do goes to the report (GNA-SPEC §6, FLUX-4K stride 16×16)', () => {
    const sim = simulate(FLUX_STRIDED, { q: [16, 8], kv: [16, 8] });
    const reason = unavailableReason({ ...CUDA, available: false, driverVersion: 0, devices: [], message: 'no CUDA device: cudaGetDeviceCount: CUDA driver version is insufficient for CUDA runtime version' }, true)!;
    assert.equal(notMeasuredMessage(reason, 'na2d 256×256, window 80×80, stride 16×16', sim), 'Not run: no NVIDIA driver on this machine. na2d 256×256, window 80×80, stride 16×16: 10.2× simulated.');
    assert.equal(notMeasuredDetail(reason), 'Not run: no NVIDIA driver on this machine. Install the NVIDIA driver for the GPU, then reload the window.');
    assert.match(reason.engineSays!, /insufficient/, 'CUDA\'s words are kept for the log');
    const untrusted = notMeasuredMessage(unavailableReason(CUDA, false)!, 'na2d', sim);
    assert.equal(untrusted, 'Not run: Benchmark on GPU runs native code, so it is disabled in an untrusted workspace. na2d: 10.2× simulated.');
    assert.match(notMeasuredMessage(reason, 'na2d', undefined), /na2d: not simulated either/);
    assert.match(simulatedSentence(undefined), /nothing is simulated/);
  });

  it('gives exactly one reason for every combination of engine answers, never a second one in its words', () => {
    // The words that name each reason; what a user reads (title, detail) may name its own only.
    const NAMES: Record<UnavailableKind, RegExp> = {
      untrusted: /not trusted|untrusted/i,
      'engine-error': /engine failed|engine gave no answer/i,
      'no-addon': /not built/i,
      'load-failed': /could not be loaded/i,
      'cpu-only': /CPU-only build/i,
      'no-driver': /no NVIDIA driver|driver is missing/i,
      'old-driver': /older than|insufficient|update the driver/i,
      'no-device': /no usable CUDA GPU|no CUDA device|finds no GPU/i,
    };
    const messages = [
      '',
      '1 CUDA device(s)',
      'no NVIDIA driver: libcuda.so.1 was not found on this machine',
      'no CUDA device: cudaGetDeviceCount: CUDA driver version is insufficient for CUDA runtime version (cudaErrorInsufficientDriver=35)',
      'no CUDA device: cudaGetDeviceCount returned 0',
      'the GNA native addon is a CPU-only build',
      `The GNA native addon is not built. Looked for:\n  /a/gna_native.node\n${noAddonAdvice(undefined)}`,
      `The GNA native addon is not built. Looked for:\n  /a/gna_native.node\n${noAddonAdvice('universal')}`,
      'could not be loaded: wrong ELF class',
    ];
    const info: fc.Arbitrary<DeviceInfoLike> = fc.record({
      addonLoaded: fc.boolean(),
      addonPath: fc.constant('/x/gna_native.node'),
      builtWithCuda: fc.boolean(),
      available: fc.boolean(),
      message: fc.constantFrom(...messages),
      code: fc.constantFrom(undefined, 'GNA_ERR_NO_DEVICE', 'GNA_ERR_NOT_BUILT', 'GNA_ERR_LOAD'),
      runtimeVersion: fc.constantFrom(0, 12020, 13000),
      driverVersion: fc.constantFrom(0, 12020, 13000, 13010),
      devices: fc.constantFrom([], [H100]),
    });
    fc.assert(
      fc.property(fc.option(info, { nil: undefined }), fc.boolean(), fc.option(fc.constantFrom(...messages, 'dlopen failed\nstack'), { nil: undefined }), (i, trusted, engineError) => {
        const reason = unavailableReason(i, trusted, engineError);
        const runs = trusted && engineError === undefined && i?.available === true;
        assert.equal(reason === undefined, runs, 'a reason exactly when nothing can run');
        if (!reason) return;
        const named = (text: string) => (Object.keys(NAMES) as UnavailableKind[]).filter((k) => NAMES[k].test(text));
        assert.deepEqual(named(reason.title), [reason.kind], `title "${reason.title}"`);
        // The engine's own words are the reason only when the engine failed; elsewhere they stay out.
        if (reason.kind !== 'engine-error') {
          assert.deepEqual(named(notMeasuredDetail(reason)), [reason.kind], `"${notMeasuredDetail(reason)}"`);
          const sim = simulate(FLUX_STRIDED, { q: [16, 8], kv: [16, 8] });
          assert.deepEqual(named(notMeasuredMessage(reason, 'na2d', sim)), [reason.kind]);
        }
        assert.ok(!reason.detail.includes('\n'), 'one line');
        assert.ok(!/\n/.test(reason.title));
      }),
      { numRuns: 2000 },
    );
  });

  it('reports GPU info with versions and the addon', () => {
    const lines = gpuInfoLines(CUDA, true);
    assert.equal(lines[0], 'GPU: NVIDIA H100 80GB HBM3 (sm_90, 132 SMs), 79 GiB.');
    assert.ok(lines.includes("NVIDIA driver: CUDA 13.0; addon's CUDA runtime: 13.0."));
    assert.ok(lines.includes('Native addon: CUDA build at /x/gna_native.node.'));
    assert.match(gpuInfoLines(undefined, false)[0], /not trusted\. Trust the workspace to query the GPU\./);
    assert.equal(gpuInfoLines(undefined, false).length, 1, 'nothing native is asked in an untrusted workspace');
  });

  it('reports a run: measured beside simulated, the GPU and the kernel variant', () => {
    assert.equal(
      measuredMessage(fixtureRecord()),
      'na2d 256×256, window 80×80, stride 16×16 · flux.py:20: 7.78× measured vs 10.2× simulated (76% of the bound; dense 131.6 ms, GNA 16.91 ms) on NVIDIA H100 80GB HBM3 (sm_90, 132 SMs), portable mma.sync.',
    );
  });

  it('words failures by code', () => {
    assert.equal(runFailedMessage('GNA_ERR_CANCELLED', 'x'), 'Benchmark cancelled.');
    assert.match(runFailedMessage('GNA_ERR_OOM', 'out of memory allocating 96 GiB'), /^The GPU ran out of memory: out of memory allocating 96 GiB Lower the batch/);
    assert.equal(
      runFailedMessage('GNA_ERR_INVALID', 'Invalid GNA request:\n  - The CUDA kernel supports head dims 32, 64, 128, got headDim=256.'),
      'The GPU kernel cannot run this config: The CUDA kernel supports head dims 32, 64, 128, got headDim=256.',
    );
    assert.match(runFailedMessage('GNA_ERR_CUDA', 'illegal address\nstack'), /^CUDA error: illegal address If it says/);
    assert.equal(runFailedMessage(undefined, 'boom'), 'The benchmark failed: boom');
  });
});
