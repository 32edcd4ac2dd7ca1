/**
 * Who may do what, where — asserted through the HTTP API for every demo role, in a court the
 * person answers for and in one they do not. The expectations are written out here, not
 * derived from the code's permission table, so that a wrong table fails the test.
 */
import assert from 'node:assert/strict';
import { ApiClient } from './helpers/api-client';
import { startDemoRig, type DemoRig } from './helpers/demo';

type Where = 'in' | 'out';
/** The courts used: almaly-district (Almaty region) and esil-district (Astana region). */
const HALL = { in: 'almaly-district.1', out: 'esil-district.1' } as const;
const DEVICE = { in: 'almaly-district-h1-mic1', out: 'esil-district-h1-mic1' } as const;
const COURT = { in: 'almaly-district', out: 'esil-district' } as const;

interface Case {
  action: string;
  call: (c: ApiClient, where: Where, rig: DemoRig) => Promise<number>;
}

const CASES: Case[] = [
  { action: 'view a hall', call: async (c, w) => (await c.get(`/api/halls/${HALL[w]}`)).status },
  { action: 'probe a device', call: async (c, w) => (await c.post(`/api/devices/${DEVICE[w]}/probe`)).status },
  {
    action: 'open a maintenance window',
    call: async (c, w, rig) => {
      const now = rig.clock.now();
      return (await c.post('/api/maintenance', {
        scope: 'device', targetId: DEVICE[w], reason: 'matrix test',
        startsAt: new Date(now + 86_400_000).toISOString(), endsAt: new Date(now + 90_000_000).toISOString(),
      })).status;
    },
  },
  { action: 'read the audit trail of a court', call: async (c, w) => (await c.get(`/api/audit?court=${COURT[w]}&limit=5`)).status },
];
const ADMIN_CASES: Case[] = [
  { action: 'list users', call: async (c) => (await c.get('/api/users')).status },
  { action: 'list tokens', call: async (c) => (await c.get('/api/tokens')).status },
];

/** Expected HTTP status per role: [in scope, out of scope]. */
const EXPECT: Record<string, Record<string, [number, number]>> = {
  'secretary-almaly': { 'view a hall': [200, 403], 'probe a device': [403, 403], 'open a maintenance window': [403, 403], 'read the audit trail of a court': [403, 403], 'list users': [403, 403], 'list tokens': [403, 403] },
  'head-almaly': { 'view a hall': [200, 403], 'probe a device': [200, 403], 'open a maintenance window': [403, 403], 'read the audit trail of a court': [403, 403], 'list users': [403, 403], 'list tokens': [403, 403] },
  'tech-almaty': { 'view a hall': [200, 403], 'probe a device': [200, 403], 'open a maintenance window': [201, 403], 'read the audit trail of a court': [403, 403], 'list users': [403, 403], 'list tokens': [403, 403] },
  'coord-almaty': { 'view a hall': [200, 403], 'probe a device': [200, 403], 'open a maintenance window': [201, 403], 'read the audit trail of a court': [200, 403], 'list users': [403, 403], 'list tokens': [403, 403] },
  dept: { 'view a hall': [200, 200], 'probe a device': [200, 200], 'open a maintenance window': [403, 403], 'read the audit trail of a court': [200, 200], 'list users': [403, 403], 'list tokens': [403, 403] },
  admin: { 'view a hall': [200, 200], 'probe a device': [200, 200], 'open a maintenance window': [201, 201], 'read the audit trail of a court': [200, 200], 'list users': [200, 200], 'list tokens': [200, 200] },
};

describe('roles × actions × scope through the API', function () {
  let rig: DemoRig;
  const clients = new Map<string, ApiClient>();

  before(async () => {
    rig = await startDemoRig();
    for (const login of Object.keys(EXPECT)) clients.set(login, await rig.client(login));
  });
  after(async () => {
    await rig?.stop();
  });

  for (const [login, expected] of Object.entries(EXPECT)) {
    for (const c of [...CASES, ...ADMIN_CASES]) {
      const [inS, outS] = expected[c.action]!;
      it(`${login}: ${c.action} → ${inS} in scope, ${outS} outside`, async () => {
        const client = clients.get(login)!;
        assert.equal(await c.call(client, 'in', rig), inS, `${login} ${c.action} in scope`);
        assert.equal(await c.call(client, 'out', rig), outS, `${login} ${c.action} outside scope`);
      });
    }
  }

  it('the board and the hall list show each person only their courts', async () => {
    const courtsOf = async (login: string) => {
      const b = (await clients.get(login)!.get<{ regions: Array<{ courts: Array<{ id: string }> }> }>('/api/board')).body;
      return b.regions.flatMap((r) => r.courts.map((c) => c.id)).sort();
    };
    assert.deepEqual(await courtsOf('head-almaly'), ['almaly-district']);
    assert.deepEqual(await courtsOf('secretary-almaly'), ['almaly-district']);
    assert.deepEqual(await courtsOf('tech-almaty'), ['almaly-district', 'almaty-city', 'bostandyk-district']);
    assert.deepEqual(await courtsOf('coord-almaty'), ['almaly-district', 'almaty-city', 'bostandyk-district']);
    assert.equal((await courtsOf('dept')).length, 5);
    // Region figures count only the courts in scope: nothing leaks about other courts.
    const region = (await clients.get('head-almaly')!.get<{ regions: Array<{ courtCount: number; hallCount: number }> }>('/api/board')).body.regions[0]!;
    assert.deepEqual([region.courtCount, region.hallCount], [1, 4]);
    const halls = (await clients.get('head-almaly')!.get<Array<{ courtId: string }>>('/api/halls')).body;
    assert.ok(halls.length === 4 && halls.every((h) => h.courtId === 'almaly-district'));
  });

  it('a refusal names the reason: the role, or the court outside the scope', async () => {
    const role = await clients.get('secretary-almaly')!.post<{ field: string; message: string }>(`/api/devices/${DEVICE.in}/probe`);
    assert.deepEqual([role.status, role.body.field], [403, 'role']);
    assert.match(role.body.message, /secretary/);
    const scope = await clients.get('head-almaly')!.post<{ field: string; message: string }>(`/api/devices/${DEVICE.out}/probe`);
    assert.deepEqual([scope.status, scope.body.field], [403, 'court']);
    assert.match(scope.body.message, /esil-district/);
  });

  it('a regional coordinator reads only their region\'s audit rows', async () => {
    const rows = (await clients.get('coord-almaty')!.get<Array<{ courtId: string | null }>>('/api/audit?limit=1000')).body;
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r) => r.courtId !== null && ['almaly-district', 'almaty-city', 'bostandyk-district'].includes(r.courtId)));
    const all = (await clients.get('dept')!.get<Array<{ courtId: string | null; action: string }>>('/api/audit?limit=1000')).body;
    assert.ok(all.some((r) => r.courtId === 'esil-district'));
    assert.ok(all.some((r) => r.action === 'session.login'));
  });

  it('every allowed change is on the audit trail with who, where from, and what', async () => {
    const rows = (await clients.get('admin')!.get<Array<{ actor: string; action: string; courtId: string; target: string; ip: string; after: { status: string } }>>('/api/audit?action=device.probe&actor=head-almaly')).body;
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]!.courtId, rows[0]!.target], ['almaly-district', DEVICE.in]);
    assert.match(rows[0]!.ip, /127\.0\.0\.1/);
    assert.ok(rows[0]!.after.status);
    const mw = (await clients.get('admin')!.get<Array<{ actor: string }>>('/api/audit?action=maintenance.open')).body;
    assert.deepEqual(mw.map((r) => r.actor).sort(), ['admin', 'admin', 'coord-almaty', 'tech-almaty']);
  });

  it('a portal-reader token may not read the console API; a revoked token is refused', async () => {
    const created = await clients.get('admin')!.post<{ token: string }>('/api/tokens', { name: 'portal', kind: 'portal-reader' });
    assert.equal(created.status, 201);
    const bearer = { authorization: `Bearer ${created.body.token}` };
    const res = await fetch(`${rig.collector.url}/api/board`, { headers: bearer });
    assert.equal(res.status, 403);
    assert.equal((await clients.get('admin')!.delete('/api/tokens/portal')).status, 204);
    const after = await fetch(`${rig.collector.url}/api/board`, { headers: bearer });
    assert.equal(after.status, 401);
  });
});
