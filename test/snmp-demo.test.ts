/**
 * The demo region's recording PCs are SNMP simulators probed by snmp-host (v2c in Almaty, v3
 * authPriv in Astana): one with low disk, one with its recorder stopped, one that does not answer.
 */
import assert from 'node:assert/strict';
import type { CheckResult } from '../collector/core/types';
import { closeSnmpSessions } from '../device-drivers/snmp-host/session-pool';
import { startDemoRig, type DemoRig } from './helpers/demo';

describe('demo region: recording PCs over SNMP', function () {
  this.timeout(30_000);
  let rig: DemoRig;

  before(async () => {
    rig = await startDemoRig();
    await rig.probeAll();
  });
  after(async () => {
    await rig?.stop();
    closeSnmpSessions();
  });

  const latest = (id: string): CheckResult[] => rig.collector.monitor.latest.get(id) ?? [];
  const failing = (id: string) => latest(id).filter((r) => r.status !== 'ok').map((r) => [r.check, r.status, r.messageKey]);

  it('every hall\'s PC is an snmp-host device, v2c in Almaty and v3 in Astana', () => {
    const pcs = rig.demo.inventory.devices.filter((d) => d.category === 'recording-pc');
    assert.equal(pcs.length, 17);
    assert.ok(pcs.every((d) => d.driver === 'snmp-host'));
    assert.deepEqual([...new Set(pcs.map((d) => `${d.regionId}:${(d.options as { version: string }).version}`))].sort(), ['almaty:2c', 'astana:3']);
  });

  it('healthy PCs pass every check, over v2c and v3', () => {
    for (const id of ['almaty-city-h1-pc', 'astana-city-h1-pc']) {
      const results = latest(id);
      assert.deepEqual(results.map((r) => r.check), ['snmp-reachable', 'uptime', 'clock-drift', 'recording-volume', 'cpu-load', 'memory', 'recorder-process', 'optical-drive', 'interfaces']);
      assert.deepEqual(failing(id), [], id);
    }
  });

  it('shows a PC with low disk, one with its recorder stopped, and one that does not answer', () => {
    assert.deepEqual(failing('astana-city-h2-pc'), [['recording-volume', 'degraded', 'snmp.storage.low']]);
    assert.deepEqual(failing('almaty-city-h4-pc'), [['recorder-process', 'down', 'snmp.process.missing']]);
    assert.deepEqual(failing('bostandyk-district-h4-pc'), [['snmp-reachable', 'down', 'snmp.no-answer']]);
    const hall = (id: string) => rig.collector.monitor.hallStatus.get(id);
    assert.deepEqual([hall('astana-city.2')?.status, hall('astana-city.2')?.causes.map((c) => c.messageKey)], ['degraded', ['snmp.storage.low']]);
    assert.deepEqual([hall('almaty-city.4')?.status, hall('almaty-city.4')?.causes.map((c) => c.messageKey)], ['down', ['snmp.process.missing']]);
    assert.deepEqual([hall('bostandyk-district.4')?.status, hall('bostandyk-district.4')?.causes.map((c) => c.messageKey)], ['down', ['snmp.no-answer']]);
  });
});
