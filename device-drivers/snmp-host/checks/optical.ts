/**
 * optical-drive: where the hall writes disc copies (003 §7.3, 000 §8), an optical drive is present:
 * an hrDeviceTable disk-storage device (hrDeviceType hrDeviceDiskStorage) whose hrDiskStorageMedia
 * is opticalDiskROM(5), opticalDiskWORM(6) or opticalDiskRW(7); or, for agents without
 * hrDiskStorageTable, an hrStorageTable row of type hrStorageCompactDisc.
 */
import type { CheckResultDraft } from '../../../collector/core/types';
import * as O from '../oids';
import type { SnmpHostPolicy } from '../policy';
import { intOf, oidOf, textOf } from '../values';
import { walkFailed, type Walked } from './common';
import { storageRows } from './storage';

/** hrDeviceTable and hrDiskStorageTable share their index: walked together. */
export const DEVICE_COLUMNS = [O.hrDevice.type, O.hrDevice.descr, O.hrDevice.status, O.hrDiskStorageMedia] as const;

export function opticalCheck(devices: Walked, storage: Walked, policy: SnmpHostPolicy, budgetMs: number): CheckResultDraft {
  const check = 'optical-drive';
  if (!devices.ok) return walkFailed(check, 'hrDeviceTable', devices.error, budgetMs);
  const drives: Array<{ descr: string; status?: number }> = [];
  for (const r of devices.rows.values()) {
    const media = intOf(r[3]);
    if (oidOf(r[0]) === O.hrDeviceTypes.diskStorage && media !== undefined && O.OPTICAL_MEDIA.includes(media)) {
      drives.push({ descr: textOf(r[1], 255) ?? 'optical drive', status: intOf(r[2]) });
    }
  }
  if (drives.length === 0 && storage.ok) {
    for (const s of storageRows(storage.rows)) if (s.type === O.hrStorageTypes.compactDisc) drives.push({ descr: s.descr || 'optical drive' });
  }
  const values = { optical_drives: drives.length };
  if (drives.length === 0) {
    return { check, status: policy.optical.missingStatus, values, message: 'no optical drive: disc copies cannot be written in this hall', messageKey: 'snmp.optical.missing' };
  }
  const working = drives.find((d) => d.status !== O.HR_DEVICE_STATUS.down);
  if (!working) {
    return { check, status: policy.optical.missingStatus, values, message: `optical drive ${drives[0]!.descr} is down`, messageKey: 'snmp.optical.down', params: { descr: drives[0]!.descr }, facts: { opticalDrive: drives[0]!.descr } };
  }
  return { check, status: 'ok', values, message: `optical drive present: ${working.descr}`, messageKey: 'snmp.optical.ok', params: { descr: working.descr }, facts: { opticalDrive: working.descr } };
}
