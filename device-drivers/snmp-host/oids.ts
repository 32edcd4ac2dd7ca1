/**
 * Numeric OIDs only: Debian ships no HOST-RESOURCES-MIB text, and a driver must not depend on
 * MIB files being installed. Names and values follow RFC 2790 (HOST-RESOURCES-MIB), RFC 2863
 * (IF-MIB) and RFC 3418 (SNMPv2-MIB).
 */

// SNMPv2-MIB system group (scalars, instance .0)
export const sysDescr = '1.3.6.1.2.1.1.1.0';
/** Time since the SNMP agent (not the host) started, in hundredths of a second. */
export const sysUpTime = '1.3.6.1.2.1.1.3.0';
export const sysName = '1.3.6.1.2.1.1.5.0';

// HOST-RESOURCES-MIB hrSystem (scalars)
/** Time since the host was last initialized (booted), in hundredths of a second. */
export const hrSystemUptime = '1.3.6.1.2.1.25.1.1.0';
/** The host's local date and time (SNMPv2-TC DateAndTime, 8 or 11 octets). */
export const hrSystemDate = '1.3.6.1.2.1.25.1.2.0';
/** Physical memory in KiB. */
export const hrMemorySize = '1.3.6.1.2.1.25.2.2.0';

// hrStorageTable 1.3.6.1.2.1.25.2.3, entry .1
export const hrStorageEntry = '1.3.6.1.2.1.25.2.3.1';
export const hrStorage = {
  type: `${hrStorageEntry}.2`,
  descr: `${hrStorageEntry}.3`,
  allocationUnits: `${hrStorageEntry}.4`,
  size: `${hrStorageEntry}.5`,
  used: `${hrStorageEntry}.6`,
} as const;
/** hrStorageTypes (values of hrStorageType). */
export const hrStorageTypes = {
  other: '1.3.6.1.2.1.25.2.1.1',
  ram: '1.3.6.1.2.1.25.2.1.2',
  virtualMemory: '1.3.6.1.2.1.25.2.1.3',
  fixedDisk: '1.3.6.1.2.1.25.2.1.4',
  removableDisk: '1.3.6.1.2.1.25.2.1.5',
  floppyDisk: '1.3.6.1.2.1.25.2.1.6',
  compactDisc: '1.3.6.1.2.1.25.2.1.7',
  ramDisk: '1.3.6.1.2.1.25.2.1.8',
  flashMemory: '1.3.6.1.2.1.25.2.1.9',
  networkDisk: '1.3.6.1.2.1.25.2.1.10',
} as const;

// hrDeviceTable 1.3.6.1.2.1.25.3.2, entry .1 (hrDeviceType is column .2, hrDeviceDescr .3)
export const hrDeviceEntry = '1.3.6.1.2.1.25.3.2.1';
export const hrDevice = {
  type: `${hrDeviceEntry}.2`,
  descr: `${hrDeviceEntry}.3`,
  status: `${hrDeviceEntry}.5`,
} as const;
/** hrDeviceTypes (values of hrDeviceType). */
export const hrDeviceTypes = {
  processor: '1.3.6.1.2.1.25.3.1.3',
  network: '1.3.6.1.2.1.25.3.1.4',
  diskStorage: '1.3.6.1.2.1.25.3.1.6',
} as const;
/** hrDeviceStatus values. */
export const HR_DEVICE_STATUS = { unknown: 1, running: 2, warning: 3, testing: 4, down: 5 } as const;

// hrProcessorTable 1.3.6.1.2.1.25.3.3, entry .1: hrProcessorLoad is column .2 (percent, last minute)
export const hrProcessorLoad = '1.3.6.1.2.1.25.3.3.1.2';

// hrDiskStorageTable 1.3.6.1.2.1.25.3.6, entry .1 (indexed like hrDeviceTable)
export const hrDiskStorageMedia = '1.3.6.1.2.1.25.3.6.1.2';
/**
 * hrDiskStorageMedia values (RFC 2790): other(1) unknown(2) hardDisk(3) floppyDisk(4)
 * opticalDiskROM(5) opticalDiskWORM(6) opticalDiskRW(7) ramDisk(8).
 */
export const OPTICAL_MEDIA: readonly number[] = [5, 6, 7];

// hrSWRunTable 1.3.6.1.2.1.25.4.2, entry .1
export const hrSWRunEntry = '1.3.6.1.2.1.25.4.2.1';
export const hrSWRun = {
  name: `${hrSWRunEntry}.2`,
  status: `${hrSWRunEntry}.7`,
} as const;
/** hrSWRunStatus values. */
export const HR_SWRUN_STATUS = { running: 1, runnable: 2, notRunnable: 3, invalid: 4 } as const;

// IF-MIB ifTable 1.3.6.1.2.1.2.2, entry .1
export const ifEntry = '1.3.6.1.2.1.2.2.1';
export const ifTable = {
  descr: `${ifEntry}.2`,
  type: `${ifEntry}.3`,
  adminStatus: `${ifEntry}.7`,
  operStatus: `${ifEntry}.8`,
  inErrors: `${ifEntry}.14`,
  outErrors: `${ifEntry}.20`,
} as const;
/** ifType values the driver cares about (IANAifType). */
export const IF_TYPE = { ethernetCsmacd: 6, softwareLoopback: 24, ieee80211: 71 } as const;
/** ifAdminStatus / ifOperStatus values. */
export const IF_STATUS = { up: 1, down: 2, testing: 3, unknown: 4, dormant: 5, notPresent: 6, lowerLayerDown: 7 } as const;

/** USM statistics (RFC 3414): the OIDs an agent's Report PDU names when it refuses a v3 request. */
export const usmStats = {
  unsupportedSecLevels: '1.3.6.1.6.3.15.1.1.1.0',
  notInTimeWindows: '1.3.6.1.6.3.15.1.1.2.0',
  unknownUserNames: '1.3.6.1.6.3.15.1.1.3.0',
  unknownEngineIDs: '1.3.6.1.6.3.15.1.1.4.0',
  wrongDigests: '1.3.6.1.6.3.15.1.1.5.0',
  decryptionErrors: '1.3.6.1.6.3.15.1.1.6.0',
} as const;
