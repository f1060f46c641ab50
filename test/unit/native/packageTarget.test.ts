// A missing addon is explained for what was installed: the universal VSIX (no GPU build for this
// platform, and which package to take instead), a platform VSIX that lost it, or a checkout.
import { strict as assert } from 'assert';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { loadAddon } from '../../../extension/native/loader';
import { noAddonAdvice, packageTarget } from '../../../extension/native/packageTarget';
import { unavailableReason } from '../../../extension/host/pure/benchMessages';

describe('package target and the no-addon advice', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gna-target-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads dist/package-target.json; none, or an unreadable one, means a checkout', () => {
    assert.equal(packageTarget(dir), undefined);
    writeFileSync(join(dir, 'package-target.json'), '{"target": "universal", "version": "0.1.0"}');
    assert.equal(packageTarget(dir), 'universal');
    writeFileSync(join(dir, 'package-target.json'), '{not json');
    assert.equal(packageTarget(dir), undefined);
  });

  it('the universal package says it has no GPU build for this platform and what to install', () => {
    const advice = noAddonAdvice('universal', 'darwin-arm64');
    assert.match(advice, /no GPU build for this platform \(darwin-arm64\)/);
    assert.match(advice, /install the linux-x64 package/);
    assert.match(noAddonAdvice('linux-x64'), /reinstall/);
    assert.match(noAddonAdvice(undefined), /npm install/);
  });

  it('the loader ends its error with the advice, and the editor shows that line', () => {
    let message = '';
    try {
      loadAddon([join(dir, 'absent.node')]);
    } catch (e) {
      message = (e as Error).message;
    }
    assert.ok(message.endsWith(noAddonAdvice(packageTarget())), message);
    const universal = `The GNA native addon is not built. Looked for:\n  /x (not found)\n${noAddonAdvice('universal', 'win32-x64')}`;
    const reason = unavailableReason({ addonLoaded: false, builtWithCuda: false, available: false, code: 'GNA_ERR_NOT_BUILT', message: universal, runtimeVersion: 0, driverVersion: 0, devices: [] }, true);
    assert.equal(reason?.kind, 'no-addon');
    assert.equal(reason?.detail, noAddonAdvice('universal', 'win32-x64'));
  });
});
