/**
 * The technical act (000 §29) rendered to PDF, read back with poppler (pdftotext -layout,
 * pdfinfo, pdffonts): the text a court files must be there, in Russian and in Kazakh, with every
 * Kazakh letter extracted from the embedded font, times on the Almaty wall clock, the draft mark
 * only on a draft, identical bytes for identical input, and long text flowing onto more pages.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { TechnicalAct } from '../alerts/acts/act-types';
import { renderActPdf, type RenderActOptions } from '../alerts/acts/render-pdf';
import PDFDocument from 'pdfkit';
import { actFonts, KAZAKH_LETTERS } from '../alerts/acts/fonts';

type Lang = 'ru' | 'kk';

const NOW = new Date('2026-11-24T07:00:00Z');
const EVIDENCE_REF = 'evidence/42/cam-judge-0831.jpg';

/** Words the court wrote (description, measures, causes) come in one language per act. */
const WRITTEN: Record<Lang, { causes: [string, string, string]; description: string; measures: string }> = {
  ru: {
    causes: [
      'Отказ службы записи на ПК секретаря после автоматического обновления операционной системы; камера судьи зависла из-за перегрева блока питания PoE.',
      'Подтверждаю: служба записи FemidaRec не запускалась после обновления ОС, видеопоток камеры судьи застыл в 08:31.',
      'Неисправен блок питания PoE камеры судьи (перегрев), служба записи не запускалась из-за несовместимого обновления. Блок питания заменён, обновление откачено.',
    ],
    description:
      'В 08:30 23.11.2026 при подготовке к судебному заседанию по делу № 7511-26-00-2/1234 секретарь судебного заседания обнаружила, что программа записи не запускается, а изображение с камеры судьи не меняется.\n\n' +
      'Секретарь незамедлительно сообщила заведующему канцелярией, который в 08:40 известил координатора областного суда и руководителя канцелярии областного суда (000 §27). Судебное заседание, назначенное на 09:00, отложено до восстановления записи.\n\n' +
      'Координатор областного суда в 09:20 проинформировал координатора Департамента о причинах неисправности (000 §28). Представитель обслуживающей организации прибыл в 10:05.',
    measures:
      'Заменён блок питания PoE камеры судьи; откачено обновление операционной системы на ПК секретаря, служба записи FemidaRec запущена. В 11:15 проведена пробная запись: звук со всех микрофонов и видео со всех камер записываются.',
  },
  kk: {
    causes: [
      'Операциялық жүйе автоматты түрде жаңартылғаннан кейін хатшы компьютеріндегі жазу қызметі істен шықты; судья камерасы PoE қуат блогының қызып кетуінен қатып қалды.',
      'Растаймын: ОЖ жаңартылғаннан кейін FemidaRec жазу қызметі іске қосылмады, судья камерасының бейне ағыны 08:31-де қатып қалды.',
      'Судья камерасының PoE қуат блогы ақаулы (қызып кеткен), жазу қызметі үйлесімсіз жаңарту салдарынан іске қосылмады. Қуат блогы ауыстырылды, жаңарту кері қайтарылды.',
    ],
    description:
      '23.11.2026 сағат 08:30-да № 7511-26-00-2/1234 іс бойынша сот отырысына дайындық кезінде сот отырысының хатшысы жазу бағдарламасы іске қосылмайтынын, ал судья камерасының суреті өзгермейтінін анықтады.\n\n' +
      'Хатшы бұл туралы дереу кеңсе меңгерушісіне хабарлады, ол 08:40-та облыстық сот үйлестірушісі мен облыстық сот кеңсесінің басшысына хабарлады (000 §27). Сағат 09:00-ге тағайындалған сот отырысы жазу қалпына келтірілгенге дейін кейінге қалдырылды.\n\n' +
      'Зал жиһазын жылжыту кезінде камера кабелі зақымдалмағаны тексерілді. Облыстық сот үйлестірушісі 09:20-да Департамент үйлестірушісіне ақаудың себептері туралы хабарлады (000 §28). Қызмет көрсетуші ұйымның өкілі 10:05-те келді.',
    measures:
      'Судья камерасының PoE қуат блогы ауыстырылды; хатшы компьютеріндегі операциялық жүйенің жаңартуы кері қайтарылып, FemidaRec жазу қызметі іске қосылды. 11:15-те сынақ жазбасы жүргізілді: барлық микрофондардың дыбысы мен барлық камералардың бейнесі жазылады.',
  },
};

export function makeAct(lang: Lang, over: Partial<TechnicalAct> = {}): TechnicalAct {
  const w = WRITTEN[lang];
  return {
    incidentId: 42,
    version: 1,
    status: 'approved',
    timezone: 'Asia/Almaty',
    court: {
      id: 'almaty-medeu',
      name: { ru: 'Медеуский районный суд города Алматы', kk: 'Алматы қаласы Медеу аудандық соты' },
      level: 'district',
    },
    region: { id: 'almaty', name: { ru: 'город Алматы', kk: 'Алматы қаласы' } },
    hall: { id: 'almaty-medeu-3', number: '3', name: { ru: 'Большой зал (2 этаж)', kk: 'Үлкен зал (2-қабат)' } },
    hearing: { caseNumber: '7511-26-00-2/1234', scheduledAt: '2026-11-23T04:00:00Z' },
    outage: { startedAt: '2026-11-23T03:30:00Z', endedAt: '2026-11-23T06:15:00Z' },
    failures: [
      {
        deviceId: 'cam-judge',
        category: 'camera',
        deviceName: { ru: 'Камера судьи (обзорная)', kk: 'Судья камерасы (жалпы көрініс)' },
        check: 'snapshot',
        status: 'down',
        message: 'Picture frozen: identical in 6 probes in a row over 90 s',
        messageKey: 'onvif.snapshot.frozen',
        params: { probes: 6, seconds: 90 },
        observedAt: '2026-11-23T03:31:10Z',
        evidence: { ref: EVIDENCE_REF, contentType: 'image/jpeg' },
      },
      {
        deviceId: 'pc-secretary',
        category: 'recording-pc',
        deviceName: { ru: 'ПК секретаря, зал № 3', kk: '№ 3 зал хатшысының компьютері' },
        check: 'recorder-process',
        status: 'down',
        message: 'Recording process FemidaRec.exe is not running',
        messageKey: 'snmp.process.missing',
        params: { name: 'FemidaRec.exe' },
        observedAt: '2026-11-23T03:32:00Z',
      },
    ],
    causeConfirmations: [
      { party: 'regional', login: 'a.kassymova', displayName: 'Қасымова Әлия Ғабитқызы', at: '2026-11-23T04:20:00Z', cause: w.causes[1] },
      { party: 'department', login: 'd.akhmetov', displayName: 'Ахметов Данияр Серікұлы', at: '2026-11-23T05:10:00Z', cause: w.causes[0] },
      { party: 'service-org', login: 'u.ussenov', displayName: 'Үсенов Ұлан Өмірзақұлы', at: '2026-11-24T03:00:00Z', cause: w.causes[2] },
    ],
    description: w.description,
    measures: w.measures,
    signatories: [
      { role: 'chancellery-head', name: 'Жұмабаева Гүлнар Әбілқызы' },
      { role: 'regional-coordinator', name: 'Қасымова Әлия Ғабитқызы' },
      { role: 'department-coordinator', name: 'Ахметов Данияр Серікұлы' },
      { role: 'service-org', name: null },
    ],
    draftedAt: '2026-11-24T04:05:00Z',
    approvedAt: '2026-11-24T06:30:00Z',
    approvedBy: 'Жұмабаева Г. Ә.',
    ...over,
  };
}

export function draft(act: TechnicalAct): TechnicalAct {
  return { ...act, status: 'draft', approvedAt: null, approvedBy: null };
}

/** A camera frame as the ONVIF driver would keep it: a dim hall, the judge's bench, an OSD line. */
export async function cameraFrame(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <rect width="640" height="480" fill="#3a3f44"/>
    <rect x="0" y="300" width="640" height="180" fill="#5b4a3a"/>
    <rect x="170" y="210" width="300" height="120" fill="#6e5640" stroke="#2b2118" stroke-width="4"/>
    <rect x="290" y="120" width="60" height="90" fill="#1f2326"/>
    <circle cx="320" cy="105" r="26" fill="#c9a27e"/>
    <rect x="0" y="0" width="640" height="34" fill="#000" fill-opacity="0.55"/>
    <text x="12" y="24" font-family="DejaVu Sans Mono" font-size="18" fill="#ffffff">2026-11-23 08:31:10  CAM-1</text>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hallwatch-act-'));
let seq = 0;

function toFile(pdf: Buffer): string {
  const file = path.join(tmp, `act-${++seq}.pdf`);
  fs.writeFileSync(file, pdf);
  return file;
}

function pdftotext(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', toFile(pdf), '-'], { encoding: 'utf8' });
}

/** The text with every run of whitespace made one space: phrases wrapped in the PDF read whole. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

function pages(pdf: Buffer): number {
  const info = execFileSync('pdfinfo', [toFile(pdf)], { encoding: 'utf8' });
  const m = /^Pages:\s+(\d+)/m.exec(info);
  assert.ok(m, info);
  return Number(m[1]);
}

/** Assert a phrase is in the text, whole (a wrap in the PDF may split it over lines, so also
 * accept it in a per-column reading: pdftotext without -layout keeps a table cell together). */
function hasPhrase(layout: string, raw: string, phrase: string): void {
  const ok = flat(layout).includes(phrase) || flat(raw).includes(phrase);
  assert.ok(ok, `missing «${phrase}» in:\n${layout}`);
}

function rawText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', toFile(pdf), '-'], { encoding: 'utf8' });
}

describe('technical act PDF (000 §29)', function () {
  let jpeg: Buffer;
  let opts: RenderActOptions;
  const out: Record<string, { pdf: Buffer; layout: string; raw: string }> = {};

  before(async function () {
    jpeg = await cameraFrame();
    opts = {
      now: () => NOW,
      evidence: async (ref) => (ref === EVIDENCE_REF ? { bytes: jpeg, contentType: 'image/jpeg' } : undefined),
    };
    for (const lang of ['ru', 'kk'] as const) {
      for (const status of ['approved', 'draft'] as const) {
        const act = status === 'draft' ? draft(makeAct(lang)) : makeAct(lang);
        const pdf = await renderActPdf(act, lang, opts);
        out[`${lang}-${status}`] = { pdf, layout: pdftotext(pdf), raw: rawText(pdf) };
      }
    }
  });

  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is a PDF with the title, court, region, hall and case in Russian', function () {
    const { pdf, layout, raw } = out['ru-approved'];
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    for (const phrase of [
      'ТЕХНИЧЕСКИЙ АКТ № 42-1',
      'о технической неисправности средств аудио-, видеозаписи судебного заседания',
      'Медеуский районный суд города Алматы',
      'город Алматы',
      '№ 3, Большой зал (2 этаж)',
      '7511-26-00-2/1234',
      'Дата составления: 24.11.2026 09:05',
      'Время судебного заседания',
      'Asia/Almaty (UTC+05:00)',
    ]) hasPhrase(layout, raw, phrase);
    // The scheduled hearing, 04:00Z, is 09:00 in Almaty.
    assert.match(layout, /Время судебного заседания\s+23\.11\.2026 09:00/);
  });

  it('shows the outage interval on the Almaty wall clock, with its duration', function () {
    const { layout } = out['ru-approved'];
    assert.match(layout, /Начало\s+23\.11\.2026 08:30/);
    assert.match(layout, /Окончание\s+23\.11\.2026 11:15/);
    assert.match(layout, /Продолжительность\s+2 ч 45 мин/);
    const kk = out['kk-approved'].layout;
    assert.match(kk, /Басталуы\s+23\.11\.2026 08:30/);
    assert.match(kk, /Аяқталуы\s+23\.11\.2026 11:15/);
    assert.match(kk, /Ұзақтығы\s+2 сағ\. 45 мин\./);
  });

  it('an outage still going on reads "по настоящее время" / "қазіргі уақытқа дейін" with the time it is counted to', async function () {
    for (const [lang, ongoing, asOf] of [
      ['ru', 'по настоящее время', '1 сут. 3 ч 30 мин (на 24.11.2026 12:00)'],
      ['kk', 'қазіргі уақытқа дейін', '1 тәул. 3 сағ. 30 мин. (24.11.2026 12:00 жағдай бойынша)'],
    ] as const) {
      const act = draft(makeAct(lang, { outage: { startedAt: '2026-11-23T03:30:00Z', endedAt: null } }));
      const pdf = await renderActPdf(act, lang, opts);
      const layout = pdftotext(pdf);
      hasPhrase(layout, rawText(pdf), ongoing);
      hasPhrase(layout, rawText(pdf), asOf);
    }
  });

  it('lists each failed device and check in words, translated from messageKey and params', function () {
    const ru = out['ru-approved'];
    for (const phrase of [
      'Камера',
      'Камера судьи (обзорная)',
      'Изображение',
      'Изображение застыло: одинаковое в 6 проверках подряд за 90 с',
      'ПК записи секретаря',
      'ПК секретаря, зал № 3',
      'Процесс записи',
      'Процесс записи FemidaRec.exe не запущен',
      'Неисправен',
      '23.11.2026',
      '08:31',
      '08:32',
      'См. рис. 1',
      'Рис. 1 (к строке 1 таблицы). Камера «Камера судьи (обзорная)», 23.11.2026 08:31',
    ]) hasPhrase(ru.layout, ru.raw, phrase);
    const kk = out['kk-approved'];
    for (const phrase of [
      'Судья камерасы (жалпы көрініс)',
      'Сурет қатып қалды: қатарынан 6 тексеруде 90 с бойы өзгермеген',
      'Хатшының жазу компьютері',
      'Жазу процесі',
      'FemidaRec.exe жазу процесі іске қосылмаған',
      'Істен шыққан',
      '1-суретті қараңыз',
    ]) hasPhrase(kk.layout, kk.raw, phrase);
    // No English fallback and no catalog key leaked into the document.
    for (const { layout } of Object.values(out)) {
      assert.doesNotMatch(layout, /Picture frozen|is not running/);
      assert.doesNotMatch(layout, /\b(act|check|category|status|onvif|snmp)\.[a-z]/);
      assert.doesNotMatch(layout, /\{[a-zA-Z]+\}/);
    }
  });

  it('embeds the evidence picture', function () {
    const list = execFileSync('pdfimages', ['-list', toFile(out['ru-approved'].pdf)], { encoding: 'utf8' });
    assert.match(list, /\bimage\s+640\s+480\b.*\bjpeg\b/, list);
  });

  it("states each party's confirmed cause with the name and time (000 §29)", function () {
    const ru = out['ru-approved'];
    for (const phrase of [
      'Координатор Департамента',
      'Подтвердил(а): Ахметов Данияр Серікұлы, 23.11.2026 10:10',
      WRITTEN.ru.causes[0],
      'Координатор областного суда',
      'Подтвердил(а): Қасымова Әлия Ғабитқызы, 23.11.2026 09:20',
      WRITTEN.ru.causes[1],
      'Представитель обслуживающей организации',
      'Подтвердил(а): Үсенов Ұлан Өмірзақұлы, 24.11.2026 08:00',
      WRITTEN.ru.causes[2],
    ]) hasPhrase(ru.layout, ru.raw, phrase);
    const kk = out['kk-approved'];
    for (const phrase of [
      'Департамент үйлестірушісі',
      'Растаған: Ахметов Данияр Серікұлы, 23.11.2026 10:10',
      'Облыстық сот үйлестірушісі',
      'Қызмет көрсетуші ұйымның өкілі',
      WRITTEN.kk.causes[2],
    ]) hasPhrase(kk.layout, kk.raw, phrase);
  });

  it('says "не подтверждена" for a party that has not confirmed', async function () {
    const act = draft(makeAct('ru'));
    act.causeConfirmations = act.causeConfirmations.filter((c) => c.party !== 'service-org');
    const pdf = await renderActPdf(act, 'ru', opts);
    assert.match(flat(pdftotext(pdf)), /Представитель обслуживающей организации: причина не подтверждена/);
    const kk = draft(makeAct('kk', { causeConfirmations: [] }));
    const kkText = flat(pdftotext(await renderActPdf(kk, 'kk', opts)));
    assert.equal(kkText.match(/себебі расталмаған/g)?.length, 3);
  });

  it('has a signature line for every signatory, with the role in words and the name', function () {
    const ru = out['ru-approved'];
    for (const phrase of [
      'Заведующий канцелярией суда',
      'Жұмабаева Гүлнар Әбілқызы',
      'Координатор областного суда',
      'Координатор Департамента',
      'Представитель обслуживающей организации',
      '(подпись)',
      '(Ф.И.О.)',
      '(дата)',
    ]) hasPhrase(ru.layout, ru.raw, phrase);
    assert.equal(flat(ru.layout).match(/\(подпись\)/g)?.length, 4);
    const kk = out['kk-approved'];
    for (const phrase of ['Сот кеңсесінің меңгерушісі', 'Облыстық сот үйлестірушісі', 'Департамент үйлестірушісі', 'Қызмет көрсетуші ұйымның өкілі', '(қолы)', '(Т.А.Ә.)', '(күні)'])
      hasPhrase(kk.layout, kk.raw, phrase);
  });

  it('carries the draft mark on every page of a draft and the approval mark on an approved act', function () {
    const ruDraft = out['ru-draft'];
    const ruApproved = out['ru-approved'];
    const n = pages(ruDraft.pdf);
    const perPage = ruDraft.layout.split('\f').filter((p) => p.trim());
    assert.equal(perPage.length, n);
    for (const p of perPage) assert.match(flat(p), /Проект: акт не утверждён и подписанию не подлежит/);
    assert.match(ruDraft.layout, /ПРОЕКТ/);
    assert.doesNotMatch(ruApproved.layout, /ПРОЕКТ|Проект/);
    assert.doesNotMatch(ruDraft.layout, /УТВЕРЖДЁН/);
    assert.match(ruApproved.layout, /УТВЕРЖДЁН/);
    hasPhrase(ruApproved.layout, ruApproved.raw, 'Утвердил: Жұмабаева Г. Ә.');
    hasPhrase(ruApproved.layout, ruApproved.raw, 'Дата утверждения: 24.11.2026 11:30');

    assert.match(out['kk-draft'].layout, /ЖОБА/);
    assert.doesNotMatch(out['kk-approved'].layout, /ЖОБА|Жоба/);
    assert.match(out['kk-approved'].layout, /БЕКІТІЛДІ/);
  });

  it('numbers the pages and names incident and version in the footer', function () {
    const { pdf, layout } = out['ru-approved'];
    const n = pages(pdf);
    assert.match(layout, new RegExp(`Страница ${n} из ${n}`));
    assert.match(layout, /hallwatch · инцидент № 42 · версия 1/);
    assert.match(out['kk-approved'].layout, /hallwatch · № 42 инцидент · 1-нұсқа/);
    assert.match(out['kk-approved'].layout, new RegExp(`${pages(out['kk-approved'].pdf)} беттің 1-беті`));
  });

  it('renders the Kazakh act in Kazakh, every Kazakh letter extracted from the embedded font', async function () {
    const kk = out['kk-approved'];
    for (const phrase of [
      'ТЕХНИКАЛЫҚ АКТ № 42-1',
      'сот отырысының аудио-, бейнежазба құралдарының техникалық ақауы туралы',
      'Алматы қаласы Медеу аудандық соты',
      '№ 3, Үлкен зал (2-қабат)',
      '7511-26-00-2/1234',
      'Жасалған күні: 24.11.2026 09:05',
    ]) hasPhrase(kk.layout, kk.raw, phrase);
    for (const letter of 'әғқңөұүһі') assert.ok(kk.layout.includes(letter), `kk PDF lacks «${letter}»`);
    // The capitals too: an act whose text holds all of them.
    const act = makeAct('kk', { measures: `Әріп тексерісі: ${KAZAKH_LETTERS}.` });
    const text = pdftotext(await renderActPdf(act, 'kk', opts));
    assert.ok(text.includes(KAZAKH_LETTERS), text);
    // Extraction goes through the ToUnicode map, which would name a letter even if the font drew
    // it as an empty box: so ask the font itself for a glyph of every letter, regular and bold.
    for (const src of [actFonts().regular, actFonts().bold]) {
      const probe = new PDFDocument({ autoFirstPage: false });
      probe.font(src);
      const font = (probe as unknown as { _font: { font: { hasGlyphForCodePoint(cp: number): boolean } } })._font.font;
      for (const letter of KAZAKH_LETTERS) assert.ok(font.hasGlyphForCodePoint(letter.codePointAt(0)!), `no glyph for «${letter}»`);
    }
    // The font is embedded (a subset of DejaVu Sans), and it is the only kind of font used.
    const fonts = execFileSync('pdffonts', [toFile(kk.pdf)], { encoding: 'utf8' });
    const rows = fonts.split('\n').slice(2).filter((l) => l.trim());
    assert.ok(rows.length >= 2, fonts);
    for (const row of rows) assert.match(row, /^[A-Z]{6}\+DejaVuSans(-Bold)?\s.*\byes\s+yes\s+yes\b/, fonts);
  });

  it('renders the same bytes for the same input and time', async function () {
    for (const lang of ['ru', 'kk'] as const) {
      const again = await renderActPdf(makeAct(lang), lang, opts);
      assert.ok(again.equals(out[`${lang}-approved`].pdf), `${lang}: a second rendering differs`);
    }
    const info = execFileSync('pdfinfo', ['-isodates', toFile(out['ru-approved'].pdf)], { encoding: 'utf8' });
    assert.match(info, /CreationDate:\s+2026-11-24T07:00:00Z/);
    const later = await renderActPdf(makeAct('ru'), 'ru', { ...opts, now: () => new Date('2026-11-25T07:00:00Z') });
    assert.ok(!later.equals(out['ru-approved'].pdf), 'the rendering time is part of the file');
  });

  it('flows a 5,000-character description onto further pages', async function () {
    const sentence =
      'Секретарь судебного заседания повторно проверила подключение микрофонов и камер, перезапустила компьютер записи и зафиксировала время каждой попытки. ';
    let long = '';
    for (let i = 1; long.length < 5000; i++) long += (i % 4 === 0 ? '\n\n' : '') + sentence;
    long += 'Конец описания.';
    assert.ok(long.length >= 5000);
    const short = await renderActPdf(makeAct('ru', { description: 'Кратко.' }), 'ru', opts);
    const pdf = await renderActPdf(makeAct('ru', { description: long }), 'ru', opts);
    const n = pages(pdf);
    assert.ok(n > 1, `pages: ${n}`);
    assert.ok(n > pages(short), `long: ${n}, short: ${pages(short)}`);
    const text = pdftotext(pdf);
    assert.match(text, /Конец описания\./);
    assert.match(text, new RegExp(`Страница ${n} из ${n}`));
    // Nothing is lost across the page breaks: every sentence is there.
    assert.equal(flat(text).split('зафиксировала время каждой попытки').length - 1, long.split('зафиксировала время каждой попытки').length - 1);
  });

  it('still renders when the evidence is gone, and says so', async function () {
    for (const evidence of [async () => undefined, async () => { throw new Error('store offline'); }, async () => ({ bytes: Buffer.from('not a picture'), contentType: 'image/jpeg' })]) {
      const pdf = await renderActPdf(makeAct('ru'), 'ru', { now: () => NOW, evidence });
      const text = pdftotext(pdf);
      assert.match(text, /Снимок недоступен/);
      assert.doesNotMatch(text, /Рис\. 1/);
      hasPhrase(text, rawText(pdf), 'Процесс записи FemidaRec.exe не запущен');
    }
    // No loader at all: the same.
    assert.match(pdftotext(await renderActPdf(makeAct('kk'), 'kk', { now: () => NOW })), /Сурет қолжетімсіз/);
  });

  it('renders an act without a hearing, failures or signatories', async function () {
    const act = draft(makeAct('ru', { hearing: null, failures: [], signatories: [], causeConfirmations: [], description: '', measures: '' }));
    const text = pdftotext(await renderActPdf(act, 'ru', opts));
    assert.doesNotMatch(text, /Номер дела/);
    assert.match(text, /Сведения о неисправном оборудовании отсутствуют/);
    assert.match(text, /Подписанты не указаны/);
    assert.match(text, /Не заполнено/);
  });
});
