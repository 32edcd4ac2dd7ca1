/**
 * A recording PC (Windows-like) or a regional server (Linux-like) as an SNMP agent on 127.0.0.1,
 * built on net-snmp's Agent: the system scalars, hrStorageTable, hrDeviceTable with
 * hrDiskStorageTable, hrProcessorTable, hrSWRunTable and IF-MIB ifTable, a v2c community and a v3
 * user (authPriv, SHA/AES), and fault modes switchable at run time.
 *
 * The agent's own socket is replaced: this class owns the UDP socket (port 0) and hands each
 * datagram to the agent, so that a fault can drop a request, answer for the agent, or change its
 * answer — the driver sees what a broken host would show it. Time comes from `now()` (a FakeClock
 * in tests), so uptime, reboots, the host's date and rising error counters follow the test's clock.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import * as snmp from 'net-snmp';
import { requestIds, v2cUnknownType, v3Report, v3ShapedReplyTo } from './ber';
import * as O from './oids';
import { encodeDateAndTime } from './values';

export type SnmpHostFault =
  | 'none'
  /** Recording volume (archive volume on a server) with about 14 h of recording (10 %) left. */
  | 'disk-low'
  /** Nearly full: about 1.5 h of recording (3 %) left. */
  | 'disk-full'
  /** The recorder process is not in hrSWRunTable (its service is stopped). */
  | 'recorder-stopped'
  /** The recorder process is there, but notRunnable (stopped by a signal, or blocked). */
  | 'recorder-not-runnable'
  /** No optical drive in hrDeviceTable / hrStorageTable. */
  | 'no-optical'
  /** The host rebooted 40 s ago (uptime resets; the v3 engine's boots count goes up). */
  | 'reboot'
  /** The host's clock is 95 s ahead. */
  | 'clock-drift'
  /** Receives and never answers. */
  | 'hang'
  /** The agent's community was changed: v2c requests are dropped, as agents do. */
  | 'wrong-community'
  /** The agent's v3 keys were changed: requests fail authentication and get a usmStatsWrongDigests Report. */
  | 'v3-auth-failure'
  /** Replies that do not decode (see malformedVariant). */
  | 'malformed'
  /** GETBULK answers of endless 1 KB rows (24 KB datagrams), GET answers with a 30 KB sysDescr. */
  | 'oversized'
  /** GETBULK answers whose OIDs go back to the first rows after two (a walk that never ends). */
  | 'non-increasing'
  /** Processors at 97–99 %. */
  | 'cpu-busy'
  /** 97 % of physical memory in use. */
  | 'memory-low'
  /** The wired interface is down. */
  | 'link-down'
  /** Interface error counters rising by 300 a minute. */
  | 'if-errors';

export const SNMP_HOST_FAULTS: readonly SnmpHostFault[] = [
  'none', 'disk-low', 'disk-full', 'recorder-stopped', 'recorder-not-runnable', 'no-optical', 'reboot', 'clock-drift',
  'hang', 'wrong-community', 'v3-auth-failure', 'malformed', 'oversized', 'non-increasing', 'cpu-busy', 'memory-low',
  'link-down', 'if-errors',
];

/**
 * garbage: random bytes. truncated: the agent's real reply cut short. unknown-type: a v2c reply
 * with a varbind type no decoder knows. v3-shaped: an authenticated-v3-looking reply carrying a v2c
 * request's id (net-snmp throws on it outside its own error handling).
 */
export type MalformedVariant = 'garbage' | 'truncated' | 'unknown-type' | 'v3-shaped';

export interface SnmpHostSimulatorOptions {
  id: string;
  role?: 'recording-pc' | 'regional-server';
  community: string;
  v3?: { user: string; authKey: string; privKey?: string };
  /** The host's clock, epoch ms (a FakeClock's now() in tests). */
  now?: () => number;
  recorderProcess?: string;
}

const GiB = 2 ** 30;
const HOUR_AT_8_MBPS = 8e6 / 8 * 3600;

/** The agent gets this instead of a socket: the simulator owns the real one. */
function stubDgram(): unknown {
  return {
    createSocket: () => ({
      on() { return this; },
      bind() { /* the simulator's socket is bound instead */ },
      close(cb?: () => void) { cb?.(); },
      address: () => ({ address: '127.0.0.1', family: 'IPv4', port: 0 }),
      send() { /* replies go through the simulator */ },
    }),
  };
}

type Row = Array<string | number | Buffer>;

export class SnmpHostSimulator extends EventEmitter {
  readonly id: string;
  readonly role: 'recording-pc' | 'regional-server';
  readonly community: string;
  readonly recorderProcess: string;
  port = 0;
  fault: SnmpHostFault = 'none';
  malformedVariant: MalformedVariant = 'garbage';
  /** Datagrams received. */
  requests = 0;
  /** Datagrams sent back. */
  replies = 0;

  private socket: dgram.Socket | undefined;
  private readonly now: () => number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private agent: any;
  private readonly startedReal = performance.now();
  private bootAt: number;
  private agentStartAt: number;
  private boots = 1;
  private faultSince: number;
  private authFailures = 0;
  private current: { buf: Buffer; rinfo: dgram.RemoteInfo } | undefined;

  constructor(private readonly opts: SnmpHostSimulatorOptions) {
    super();
    this.id = opts.id;
    this.role = opts.role ?? 'recording-pc';
    this.community = opts.community;
    this.now = opts.now ?? Date.now;
    this.recorderProcess = opts.recorderProcess ?? 'avf-recorder.exe';
    const t = this.now();
    this.bootAt = t - 3 * 86_400_000 - 5_400_000; // up 3 days 1.5 hours
    this.agentStartAt = this.bootAt + 40_000;
    this.faultSince = t;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    this.agent = snmp.createAgent({ port: 1, address: '127.0.0.1', dgramModule: stubDgram(), disableAuthorization: false },
      (error: unknown) => this.onAgentError(error), this.buildMib());
    this.setCredentials();
    const sock = dgram.createSocket('udp4');
    sock.on('error', () => { /* a send to a gone client: nothing to do */ });
    sock.on('message', (buf, rinfo) => this.onDatagram(buf, rinfo));
    await new Promise<void>((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, '127.0.0.1', () => {
        sock.off('error', reject);
        resolve();
      });
    });
    this.socket = sock;
    this.port = sock.address().port;
    this.patchAgent();
  }

  async stop(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    this.agent?.close();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  async setFault(fault: SnmpHostFault): Promise<void> {
    if (!SNMP_HOST_FAULTS.includes(fault)) throw new Error(`unknown snmp-host fault "${fault}"`);
    this.fault = fault;
    this.faultSince = this.now();
    if (fault === 'reboot') {
      this.bootAt = this.now() - 40_000;
      this.agentStartAt = this.bootAt + 20_000;
      this.boots++;
    }
    if (this.agent) {
      this.agent.setMib(this.buildMib());
      this.setCredentials();
    }
  }

  /** Resolves at the next datagram received. */
  nextRequest(): Promise<void> {
    return new Promise((resolve) => this.once('request', () => resolve()));
  }

  // ---- the host's data -------------------------------------------------------------------------

  private volumes(): Array<{ descr: string; units: number; sizeBytes: number; usedBytes: number; type: string }> {
    const disk = (descr: string, units: number, sizeBytes: number, freeBytes: number) =>
      ({ descr, units, sizeBytes, usedBytes: sizeBytes - freeBytes, type: O.hrStorageTypes.fixedDisk });
    if (this.role === 'regional-server') {
      const size = 40 * 1024 * GiB;
      const free = this.fault === 'disk-full' ? size * 0.03 : this.fault === 'disk-low' ? size * 0.10 : size * 0.42;
      return [disk('/', 4096, 100 * GiB, 61 * GiB), disk('/srv/archive', 65536, size, free)];
    }
    const size = 1863 * GiB;
    const free = this.fault === 'disk-full' ? 1.5 * HOUR_AT_8_MBPS : this.fault === 'disk-low' ? 14 * HOUR_AT_8_MBPS : 912 * GiB;
    return [
      disk('C:\\ Label:System  Serial Number 3a1f0c22', 4096, 237 * GiB, 118 * GiB),
      disk('D:\\ Label:Records  Serial Number 5e3c9a10', 4096, size, free),
    ];
  }

  private storageRows(): Row[] {
    const rows: Row[] = [];
    let i = 1;
    for (const v of this.volumes()) {
      rows.push([i++, v.type, v.descr, v.units, Math.floor(v.sizeBytes / v.units), Math.floor(v.usedBytes / v.units)]);
    }
    if (this.role === 'recording-pc' && this.fault !== 'no-optical') rows.push([i++, O.hrStorageTypes.compactDisc, 'E:\\', 2048, 0, 0]);
    const mem = 16 * GiB;
    const memUsed = this.fault === 'memory-low' ? mem * 0.97 : mem * 0.46;
    rows.push([i++, O.hrStorageTypes.virtualMemory, this.role === 'regional-server' ? 'Virtual memory' : 'Virtual Memory', 65536, Math.floor(mem * 1.5 / 65536), Math.floor(memUsed * 1.1 / 65536)]);
    rows.push([i++, O.hrStorageTypes.ram, this.role === 'regional-server' ? 'Physical memory' : 'Physical Memory', 65536, Math.floor(mem / 65536), Math.floor(memUsed / 65536)]);
    return rows;
  }

  private cpuLoads(): number[] {
    return this.fault === 'cpu-busy' ? [97, 99, 98, 99] : [12, 7, 15, 9];
  }

  private deviceRows(): { devices: Row[]; disks: Row[]; processors: Row[] } {
    const devices: Row[] = [];
    const processors: Row[] = [];
    const loads = this.cpuLoads();
    const cpuName = this.role === 'regional-server' ? 'GenuineIntel: Intel(R) Xeon(R) Silver 4310 CPU @ 2.10GHz' : 'Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz';
    loads.forEach((load, k) => {
      devices.push([k + 1, O.hrDeviceTypes.processor, cpuName, O.HR_DEVICE_STATUS.running]);
      processors.push([k + 1, '0.0', load]);
    });
    devices.push([10, O.hrDeviceTypes.network, this.role === 'regional-server' ? 'network interface eno1' : 'Intel(R) Ethernet Connection (11) I219-LM', O.HR_DEVICE_STATUS.running]);
    devices.push([20, O.hrDeviceTypes.diskStorage, this.role === 'regional-server' ? 'PERC H755 Virtual Disk' : 'WDC WD20EZBX-00AYRA0', O.HR_DEVICE_STATUS.running]);
    // hrDiskStorageTable: access readWrite(1), media, removable, capacity KiB
    const disks: Row[] = [[20, 1, 3, 2, 1_953_514_584]];
    if (this.role === 'recording-pc' && this.fault !== 'no-optical') {
      devices.push([21, O.hrDeviceTypes.diskStorage, 'ATAPI iHAS124   F', O.HR_DEVICE_STATUS.running]);
      disks.push([21, 1, 7, 1, 0]); // opticalDiskRW(7), removable true(1)
    }
    return { devices, disks, processors };
  }

  private processRows(): Row[] {
    const win = ['System', 'smss.exe', 'csrss.exe', 'wininit.exe', 'services.exe', 'lsass.exe', 'svchost.exe', 'svchost.exe', 'svchost.exe', 'spoolsv.exe', 'snmp.exe', 'explorer.exe'];
    const lin = ['systemd', 'kthreadd', 'rcu_gp', 'systemd-journal', 'sshd', 'cron', 'snmpd', 'rsync', 'postgres', 'chronyd'];
    const rows: Row[] = (this.role === 'regional-server' ? lin : win).map((n, k) => [4 + k * 4, n, O.HR_SWRUN_STATUS.runnable]);
    if (this.role === 'recording-pc' && this.fault !== 'recorder-stopped') {
      rows.push([4312, this.recorderProcess, this.fault === 'recorder-not-runnable' ? O.HR_SWRUN_STATUS.notRunnable : O.HR_SWRUN_STATUS.running]);
    }
    return rows;
  }

  private ifRows(): Row[] {
    const errors = this.fault === 'if-errors' ? Math.floor(Math.max(0, this.now() - this.faultSince) / 1000) * 5 : 0;
    const nic = this.role === 'regional-server' ? 'eno1' : 'Intel(R) Ethernet Connection (11) I219-LM';
    return [
      [1, this.role === 'regional-server' ? 'lo' : 'Software Loopback Interface 1', O.IF_TYPE.softwareLoopback, 1_073_741_824, O.IF_STATUS.up, O.IF_STATUS.up, 0, 0],
      [2, nic, O.IF_TYPE.ethernetCsmacd, 1_000_000_000, O.IF_STATUS.up, this.fault === 'link-down' ? O.IF_STATUS.down : O.IF_STATUS.up, 3 + errors, 1 + Math.floor(errors / 3)],
      [3, 'Microsoft Wi-Fi Direct Virtual Adapter', O.IF_TYPE.ieee80211, 0, O.IF_STATUS.down, O.IF_STATUS.down, 0, 0],
    ];
  }

  // ---- the MIB ---------------------------------------------------------------------------------

  private buildMib(): unknown {
    const T = snmp.ObjectType;
    const ro = snmp.MaxAccess['read-only'];
    const na = snmp.MaxAccess['not-accessible'];
    const mib = snmp.createMib();
    const scalar = (name: string, oid: string, type: number) => mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid: oid.replace(/\.0$/, ''), scalarType: type, maxAccess: ro });
    scalar('sysDescr', O.sysDescr, T.OctetString);
    scalar('sysUpTime', O.sysUpTime, T.TimeTicks);
    scalar('sysName', O.sysName, T.OctetString);
    scalar('hrSystemUptime', O.hrSystemUptime, T.TimeTicks);
    scalar('hrSystemDate', O.hrSystemDate, T.OctetString);
    scalar('hrMemorySize', O.hrMemorySize, T.Integer);
    mib.setScalarValue('sysDescr', this.role === 'regional-server'
      ? 'Linux archive-1 6.1.0-28-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 x86_64'
      : 'Hardware: Intel64 Family 6 Model 165 Stepping 5 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 19045 Multiprocessor Free)');
    mib.setScalarValue('sysName', this.id);
    mib.setScalarValue('hrMemorySize', 16 * 1024 * 1024);

    const table = (name: string, entry: string, columns: Array<[number, string, number]>, index: Array<Record<string, unknown>>) =>
      mib.registerProvider({
        name, type: snmp.MibProviderType.Table, oid: entry, maxAccess: na,
        tableColumns: columns.map(([number, cname, type]) => ({ number, name: cname, type, maxAccess: ro })),
        tableIndex: index,
      });
    table('hrStorageTable', O.hrStorageEntry, [[1, 'hrStorageIndex', T.Integer], [2, 'hrStorageType', T.OID], [3, 'hrStorageDescr', T.OctetString], [4, 'hrStorageAllocationUnits', T.Integer], [5, 'hrStorageSize', T.Integer], [6, 'hrStorageUsed', T.Integer]], [{ columnName: 'hrStorageIndex' }]);
    table('hrDeviceTable', O.hrDeviceEntry, [[1, 'hrDeviceIndex', T.Integer], [2, 'hrDeviceType', T.OID], [3, 'hrDeviceDescr', T.OctetString], [5, 'hrDeviceStatus', T.Integer]], [{ columnName: 'hrDeviceIndex' }]);
    table('hrProcessorTable', '1.3.6.1.2.1.25.3.3.1', [[1, 'hrProcessorFrwID', T.OID], [2, 'hrProcessorLoad', T.Integer]], [{ columnName: 'hrDeviceIndex', foreign: 'hrDeviceTable' }]);
    table('hrDiskStorageTable', '1.3.6.1.2.1.25.3.6.1', [[1, 'hrDiskStorageAccess', T.Integer], [2, 'hrDiskStorageMedia', T.Integer], [3, 'hrDiskStorageRemoveble', T.Integer], [4, 'hrDiskStorageCapacity', T.Integer]], [{ columnName: 'hrDeviceIndex', foreign: 'hrDeviceTable' }]);
    table('hrSWRunTable', O.hrSWRunEntry, [[1, 'hrSWRunIndex', T.Integer], [2, 'hrSWRunName', T.OctetString], [7, 'hrSWRunStatus', T.Integer]], [{ columnName: 'hrSWRunIndex' }]);
    table('ifTable', O.ifEntry, [[1, 'ifIndex', T.Integer], [2, 'ifDescr', T.OctetString], [3, 'ifType', T.Integer], [5, 'ifSpeed', T.Gauge32], [7, 'ifAdminStatus', T.Integer], [8, 'ifOperStatus', T.Integer], [14, 'ifInErrors', T.Counter32], [20, 'ifOutErrors', T.Counter32]], [{ columnName: 'ifIndex' }]);

    for (const r of this.storageRows()) mib.addTableRow('hrStorageTable', r);
    const d = this.deviceRows();
    for (const r of d.devices) mib.addTableRow('hrDeviceTable', r);
    for (const r of d.processors) mib.addTableRow('hrProcessorTable', r);
    for (const r of d.disks) mib.addTableRow('hrDiskStorageTable', r);
    for (const r of this.processRows()) mib.addTableRow('hrSWRunTable', r);
    for (const r of this.ifRows()) mib.addTableRow('ifTable', r);
    this.refresh(mib);
    return mib;
  }

  /** Values that move with time, set before each request is answered. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private refresh(mib: any = this.agent?.getMib()): void {
    if (!mib) return;
    const t = this.now();
    mib.setScalarValue('hrSystemUptime', Math.floor((t - this.bootAt) / 10) % 2 ** 32);
    mib.setScalarValue('sysUpTime', Math.floor((t - this.agentStartAt) / 10) % 2 ** 32);
    mib.setScalarValue('hrSystemDate', encodeDateAndTime(t + (this.fault === 'clock-drift' ? 95_000 : 0), 300));
    if (this.fault === 'if-errors') {
      for (const r of this.ifRows()) {
        mib.setTableSingleCell('ifTable', 14, [r[0]], r[6]);
        mib.setTableSingleCell('ifTable', 20, [r[0]], r[7]);
      }
    }
    if (this.agent) {
      // RFC 3414: the engine's time in seconds since its boots count last changed (real time: the
      // manager's notion of it advances with its own clock).
      this.agent.engine.engineBoots = this.boots;
      this.agent.engine.engineTime = Math.floor((performance.now() - this.startedReal) / 1000) + 1;
    }
  }

  private setCredentials(): void {
    const auth = this.agent.getAuthorizer();
    for (const c of [...auth.getCommunities()]) auth.deleteCommunity(c);
    auth.addCommunity(this.fault === 'wrong-community' ? `${this.community}-rotated` : this.community);
    const v3 = this.opts.v3;
    if (v3) {
      const broken = this.fault === 'v3-auth-failure' ? '-rotated' : '';
      auth.addUser({
        name: v3.user, level: snmp.SecurityLevel.authPriv,
        authProtocol: snmp.AuthProtocols.sha, authKey: v3.authKey + broken,
        privProtocol: snmp.PrivProtocols.aes, privKey: (v3.privKey ?? v3.authKey) + broken,
      });
    }
  }

  // ---- the wire --------------------------------------------------------------------------------

  private send(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    if (!this.socket || buf.length > 65_507) return;
    this.replies++;
    this.socket.send(buf, rinfo.port, rinfo.address);
  }

  private onDatagram(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    this.requests++;
    this.emit('request', rinfo);
    if (this.fault === 'hang') return;
    try {
      if (this.fault === 'malformed' && this.malformedVariant !== 'truncated') return this.sendMalformed(buf, rinfo);
      this.refresh();
      this.current = { buf, rinfo };
      this.agent.onMsg(this.replySocket, buf, rinfo);
    } catch {
      /* a request the agent could not take: like a real agent, no answer */
    } finally {
      this.current = undefined;
    }
  }

  /** What the agent writes its replies to: the simulator's socket, through the fault. */
  private readonly replySocket = {
    send: (buffer: Buffer, _offset: number, _length: number, port: number, address: string, cb?: (e: Error | null) => void) => {
      let out = buffer;
      if (this.fault === 'malformed') out = buffer.subarray(0, Math.max(3, Math.floor(buffer.length / 2)));
      this.send(out, { port, address } as dgram.RemoteInfo);
      cb?.(null);
    },
  };

  private sendMalformed(buf: Buffer, rinfo: dgram.RemoteInfo): void {
    const ids = requestIds(buf);
    let out: Buffer;
    if (this.malformedVariant === 'unknown-type' && ids && ids.version !== 3) out = v2cUnknownType(ids);
    else if (this.malformedVariant === 'v3-shaped' && ids) out = v3ShapedReplyTo(ids);
    else out = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37 + 11) & 0xff));
    this.send(out, rinfo);
  }

  /**
   * Errors the agent reports while taking a request. A v3 request that fails authentication or
   * decryption gets a usmStatsWrongDigests Report, as Net-SNMP's snmpd sends (net-snmp's Agent is
   * silent); a wrong v2c community gets nothing, as with any agent.
   */
  private onAgentError(error: unknown): void {
    const cur = this.current;
    const code = (error as { name?: string; code?: number } | undefined);
    if (!cur || code?.name !== 'ResponseInvalidError' || (code.code !== 4 && code.code !== 5)) return;
    const ids = requestIds(cur.buf);
    if (!ids || ids.version !== 3) return;
    this.authFailures++;
    const engine = this.agent.engine as { engineID: Buffer; engineBoots: number; engineTime: number };
    this.send(v3Report(ids, { id: engine.engineID, boots: engine.engineBoots, time: engine.engineTime }, O.usmStats.wrongDigests, this.authFailures), cur.rinfo);
  }

  /** GETBULK answers changed by the oversized and non-increasing faults, after the agent built them. */
  private patchAgent(): void {
    const agent = this.agent;
    const bulk = agent.getBulkRequest.bind(agent);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    agent.getBulkRequest = (socket: unknown, requestMessage: any, rinfo: unknown) => {
      // The agent replaces the request's varbinds with its answer: keep what was asked.
      requestMessage.askedOids = (requestMessage.pdu.varbinds as Array<{ oid: string }>).map((vb) => vb.oid);
      bulk(socket, requestMessage, rinfo);
    };
    const original = agent.sendResponse.bind(agent);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    agent.sendResponse = (socket: unknown, rinfo: unknown, requestMessage: any, responsePdu: any) => {
      try {
        const asked = requestMessage?.askedOids as string[] | undefined;
        if (this.fault === 'oversized') {
          if (asked) responsePdu.varbinds = oversizedRows(asked);
          else for (const vb of responsePdu.varbinds) if (vb.oid === O.sysDescr) vb.value = Buffer.alloc(30_000, 'W');
        }
        if (this.fault === 'non-increasing' && asked) {
          const vbs = responsePdu.varbinds as object[];
          const keep = Math.min(vbs.length, 2 * Math.max(1, asked.length));
          responsePdu.varbinds = vbs.map((vb, i) => (i < keep ? vb : { ...vbs[i % keep]! }));
        }
      } catch {
        /* leave the answer as the agent built it */
      }
      original(socket, rinfo, requestMessage, responsePdu);
    };
  }
}

const TABLE_ENTRIES = [O.hrStorageEntry, O.hrDeviceEntry, O.hrSWRunEntry, O.ifEntry, '1.3.6.1.2.1.25.3.3.1', '1.3.6.1.2.1.25.3.6.1']
  .map((e) => e.split('.').map(Number));

/**
 * Endless rows of 1000-byte strings continuing each requested column, about 24 KB per answer
 * (several such answers at once still fit a default 208 KB socket receive buffer).
 */
function oversizedRows(asked: string[]): unknown[] {
  const reps = Math.max(1, Math.floor(24 / asked.length));
  const out: unknown[] = [];
  for (let r = 0; r < reps; r++) {
    for (const start of asked) {
      const a = start.replace(/^\./, '').split('.').map(Number);
      const entry = TABLE_ENTRIES.find((e) => e.length < a.length && e.every((n, i) => a[i] === n));
      const column = entry ? a.slice(0, entry.length + 1) : a;
      const next = (entry && a.length > entry.length + 1 ? a[entry.length + 1]! : 0) + r + 1;
      out.push({ oid: [...column, next].join('.'), type: snmp.ObjectType.OctetString, value: Buffer.alloc(1000, 'X') });
    }
  }
  return out;
}
