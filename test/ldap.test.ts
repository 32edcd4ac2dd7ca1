/** Sign-in through LDAP against Debian's slapd, started by the test on loopback. */
import assert from 'node:assert/strict';
import { Client } from 'ldapts';
import { authConfigSchema } from '../collector/auth/auth-config';
import { escapeFilter } from '../collector/auth/ldap';
import { ApiClient } from './helpers/api-client';
import { startDemoRig, type DemoRig } from './helpers/demo';
import { startSlapd, type Slapd } from './helpers/slapd';

const S = 'dc=courts,dc=kz';
const person = (uid: string, cn: string, pw: string) => `dn: uid=${uid},ou=people,${S}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${cn}
sn: ${cn.split(' ')[0]}
userPassword: ${pw}
`;
const group = (cn: string, members: string[]) => `dn: cn=${cn},ou=groups,${S}
objectClass: groupOfNames
cn: ${cn}
${members.map((m) => `member: uid=${m},ou=people,${S}`).join('\n')}
`;

const LDIF = [
  `dn: ${S}\nobjectClass: dcObject\nobjectClass: organization\no: courts\ndc: courts\n`,
  `dn: ou=people,${S}\nobjectClass: organizationalUnit\nou: people\n`,
  `dn: ou=groups,${S}\nobjectClass: organizationalUnit\nou: groups\n`,
  `dn: uid=svc-hallwatch,ou=people,${S}\nobjectClass: inetOrgPerson\nuid: svc-hallwatch\ncn: hallwatch service\nsn: service\nuserPassword: svc-bind-secret\n`,
  person('aliya', 'Алия Серикова', 'aliya-ldap-pw-1'),
  person('bolat', 'Болат Касымов', 'bolat-ldap-pw-1'),
  person('nora', 'Нора Ким', 'nora-ldap-pw-1'),
  group('almaly-chancellery', ['aliya', 'svc-hallwatch']),
  group('sudtechservice-technicians', ['bolat']),
  group('everyone-else', ['nora']),
].join('\n');

describe('sign-in through LDAP (slapd)', function () {
  this.timeout(30_000);
  let slapd: Slapd;
  let rig: DemoRig;

  before(async () => {
    slapd = await startSlapd(LDIF);
    const auth = authConfigSchema.parse({
      ldap: {
        url: slapd.url,
        bindDn: `uid=svc-hallwatch,ou=people,${S}`,
        bindPassword: { env: 'LDAP_BIND_PASSWORD' },
        userBase: `ou=people,${S}`,
        userFilter: '(&(objectClass=inetOrgPerson)(uid={login}))',
        groupBase: `ou=groups,${S}`,
        groupFilter: '(&(objectClass=groupOfNames)(member={dn}))',
        groups: [
          { group: `cn=almaly-chancellery,ou=groups,${S}`, role: 'chancellery-head', court: 'almaly-district' },
          { group: `CN=SudTechService-Technicians,OU=Groups,${S.toUpperCase()}`, role: 'technician', org: 'sudtechservice' },
        ],
      },
    });
    rig = await startDemoRig({ auth, ldapBindPassword: 'svc-bind-secret' });
  });
  after(async () => {
    await rig?.stop();
    await slapd?.stop();
  });

  const signIn = (login: string, password: string) => new ApiClient(rig.collector.url).post<{ user: { role: string; courtId: string; orgId: string; displayName: string }; courts: string[]; error: string }>('/api/session', { login, password });

  it('maps the directory group to the role and its court; the board shows only that court', async () => {
    const c = new ApiClient(rig.collector.url);
    const r = await c.post<{ user: { role: string; courtId: string; displayName: string }; courts: string[] }>('/api/session', { login: 'aliya', password: 'aliya-ldap-pw-1' });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.deepEqual([r.body.user.role, r.body.user.courtId, r.body.user.displayName], ['chancellery-head', 'almaly-district', 'Алия Серикова']);
    assert.deepEqual(r.body.courts, ['almaly-district']);
    const board = (await c.get<{ regions: Array<{ courts: Array<{ id: string }> }> }>('/api/board')).body;
    assert.deepEqual(board.regions.flatMap((x) => x.courts.map((y) => y.id)), ['almaly-district']);
  });

  it('group DNs match case-insensitively (Active Directory writes them in any case)', async () => {
    const r = await signIn('bolat', 'bolat-ldap-pw-1');
    assert.equal(r.status, 201);
    assert.deepEqual([r.body.user.role, r.body.user.orgId], ['technician', 'sudtechservice']);
    assert.equal(r.body.courts.length, 3);
  });

  it('a wrong password, an unknown user and an empty password are refused alike', async () => {
    for (const [login, password] of [['aliya', 'not-her-password'], ['nobody', 'whatever-123'], ['aliya', '']]) {
      const r = await signIn(login!, password!);
      assert.ok([400, 401].includes(r.status), `${login}/${password}: ${r.status}`);
    }
  });

  it('a directory user whose groups map to no role gets a clear refusal', async () => {
    const r = await signIn('nora', 'nora-ldap-pw-1');
    assert.deepEqual([r.status, r.body.error], [403, 'no_role']);
  });

  it('a login cannot inject into the LDAP filter', async () => {
    assert.equal(escapeFilter('*)(uid=*'), '\\2a\\29\\28uid=\\2a');
    const r = await signIn('*)(uid=*', 'aliya-ldap-pw-1');
    assert.equal(r.status, 401);
  });

  it('a change of groups in the directory changes the role at the next sign-in, on the audit trail', async () => {
    const admin = new Client({ url: slapd.url });
    await admin.bind(slapd.adminDn, slapd.adminPassword);
    const { Change, Attribute } = await import('ldapts');
    await admin.modify(`cn=sudtechservice-technicians,ou=groups,${S}`, [new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [`uid=aliya,ou=people,${S}`] }) })]);
    await admin.modify(`cn=almaly-chancellery,ou=groups,${S}`, [new Change({ operation: 'delete', modification: new Attribute({ type: 'member', values: [`uid=aliya,ou=people,${S}`] }) })]);
    await admin.unbind();
    const r = await signIn('aliya', 'aliya-ldap-pw-1');
    assert.equal(r.status, 201);
    assert.equal(r.body.user.role, 'technician');
    const rows = (await (await rig.client('admin')).get<Array<{ action: string; target: string; after: { role: string } }>>('/api/audit?action=user.ldap-update')).body;
    assert.deepEqual([rows[0]!.target, rows[0]!.after.role], ['aliya', 'technician']);
  });

  it('with the directory down, LDAP sign-in says so and local accounts still work', async () => {
    await slapd.stop();
    const r = await signIn('bolat', 'bolat-ldap-pw-1');
    assert.deepEqual([r.status, r.body.error], [503, 'ldap_unavailable']);
    assert.equal((await signIn('admin', rig.passwords.get('admin')!)).status, 201);
  });
});
