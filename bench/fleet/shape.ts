/**
 * The national fleet the benchmark simulates (issue 11): about 400 courts and 2,500 halls, each
 * hall with two ONVIF cameras, a recording PC watched over SNMP, the recorder agent with eight
 * microphone channels, and a videoconference endpoint in two halls of five (1,000 of 2,500).
 * `halls` scales it down for a fraction.
 */
export interface FleetShape {
  halls: number;
  camerasPerHall: number;
  micsPerHall: number;
  /** Every hall whose index modulo 5 is below this has a VKS endpoint. */
  vksPerFive: number;
  hallsPerCourt: number;
  courtsPerRegion: number;
}

export const FULL_FLEET: FleetShape = { halls: 2500, camerasPerHall: 2, micsPerHall: 8, vksPerFive: 2, hallsPerCourt: 6.25, courtsPerRegion: 20 };

export interface HallSpec {
  index: number;
  region: string;
  court: string;
  number: string;
  /** Device id prefix, e.g. c0007-h3. */
  base: string;
  vks: boolean;
}

export function fleetHalls(shape: FleetShape): HallSpec[] {
  const courts = Math.max(1, Math.round(shape.halls / shape.hallsPerCourt));
  const out: HallSpec[] = [];
  const perCourt = new Map<number, number>();
  for (let i = 0; i < shape.halls; i++) {
    const c = i % courts;
    const n = (perCourt.get(c) ?? 0) + 1;
    perCourt.set(c, n);
    const court = `c${String(c).padStart(4, '0')}`;
    out.push({ index: i, region: `r${String(Math.floor(c / shape.courtsPerRegion)).padStart(2, '0')}`, court, number: String(n), base: `${court}-h${n}`, vks: i % 5 < shape.vksPerFive });
  }
  return out;
}

/** Device counts of a shape, as the report prints them. */
export function fleetCounts(shape: FleetShape): Record<string, number> {
  const halls = fleetHalls(shape);
  const vks = halls.filter((h) => h.vks).length;
  return {
    courts: new Set(halls.map((h) => h.court)).size, halls: halls.length, cameras: halls.length * shape.camerasPerHall,
    recording_pcs: halls.length, recorder_agents: halls.length, microphone_channels: halls.length * shape.micsPerHall, vks_endpoints: vks,
  };
}
