// What the benchmark commands say: which reason keeps a GPU benchmark from running (with the
// real addon on this machine too), the simulated numbers beside it, GPU info and failures.
import { strict as assert } from 'assert';
import { simulate } from '../../../extension/core/simulator';
import { AddonLoader, GnaNative, gnaNative } from '../../../extension/native';
import {
  DeviceInfoLike,
  gpuInfoLines,
  measuredMessage,
  notMeasuredMessage,
  runFailedMessage,
  simulatedSentence,
  unavailableReason,
} from '../../../extension/host/pure/benchMessages';
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

  it('shows the simulated numbers beside the reason (GNA-SPEC §6, FLUX-4K stride 16×16)', () => {
    const sim = simulate(FLUX_STRIDED, { q: [16, 8], kv: [16, 8] });
    const reason = unavailableReason({ ...CUDA, available: false, driverVersion: 0, devices: [], message: 'no CUDA device: x' }, true)!;
    assert.equal(
      notMeasuredMessage(reason, 'na2d 256×256, window 80×80, stride 16×16', sim),
      'Not run: no NVIDIA driver on this machine. The engine says: no CUDA device: x. na2d 256×256, window 80×80, stride 16×16: ' +
        'Simulated on Q 16×8 / KV 16×8 tiles: 10.2× (tile-pair 10.2×, FLOP-wise 10.2×), block-sparse.',
    );
    const untrusted = notMeasuredMessage(unavailableReason(CUDA, false)!, 'na2d', sim);
    assert.match(untrusted, /^Benchmark on GPU runs native CUDA code, so it is disabled in an untrusted workspace\..* na2d: Simulated on/);
    assert.match(simulatedSentence(undefined), /nothing is simulated/);
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
