/** onvif-connect: the camera answers ONVIF and accepts the credentials; its identity as facts. */
import type { CheckResultDraft } from '../../../collector/core/types';
import { child, type XmlEl } from '../xml';
import { cleanText, round1 } from './common';

export interface DeviceFacts {
  maker?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  hardwareId?: string;
}

/** GetDeviceInformationResponse → facts, exactly as the camera wrote them (firmware "1.10" stays "1.10"). */
export function deviceFacts(payload: XmlEl): DeviceFacts {
  const t = (name: string) => cleanText(child(payload, name)?.text);
  const facts: DeviceFacts = {
    maker: t('Manufacturer'), model: t('Model'), firmware: t('FirmwareVersion'),
    serial: t('SerialNumber'), hardwareId: t('HardwareId'),
  };
  for (const k of Object.keys(facts) as Array<keyof DeviceFacts>) if (facts[k] === undefined) delete facts[k];
  return facts;
}

export function connectOk(facts: DeviceFacts, rttMs: number): CheckResultDraft {
  const maker = facts.maker ?? '?';
  const model = facts.model ?? '?';
  const firmware = facts.firmware ?? '?';
  return {
    check: 'onvif-connect', status: 'ok',
    message: `ONVIF ${maker} ${model}, firmware ${firmware}`,
    messageKey: 'onvif.connect.ok', params: { maker, model, firmware },
    values: { rtt_ms: round1(rttMs) },
    facts: { ...facts },
  };
}
