/**
 * The one message catalog: every word a court employee reads, in Russian and Kazakh.
 * Used by the console (browser) and by the collector (command line --lang, later acts and
 * notifications). Placeholders are {name}; translate() fills them.
 */
export type Lang = 'ru' | 'kk';
export const LANGS: readonly Lang[] = ['ru', 'kk'];

export interface Message {
  ru: string;
  kk: string;
}

export const messages = {
  // Statuses
  // A device, a check: generic words.
  'status.ok': { ru: 'Исправен', kk: 'Жұмыс істейді' },
  'status.degraded': { ru: 'Частично исправен', kk: 'Ішінара жұмыс істейді' },
  'status.down': { ru: 'Неисправен', kk: 'Істен шыққан' },
  // A hall or its AVF system: down means the hearing cannot be recorded (000 §27).
  'status.hall.down': { ru: 'Запись невозможна', kk: 'Жазу мүмкін емес' },
  // The VKS system: down means no videoconference.
  'status.vks.down': { ru: 'Не работает', kk: 'Жұмыс істемейді' },
  'status.unknown': { ru: 'Нет данных', kk: 'Деректер жоқ' },
  'status.maintenance': { ru: 'Обслуживание', kk: 'Қызмет көрсету' },

  // Systems and device categories
  'system.avf': { ru: 'АВФ', kk: 'АБТ' },
  'system.vks': { ru: 'ВКС', kk: 'БКБ' },
  'category.camera': { ru: 'Камера', kk: 'Камера' },
  'category.microphone': { ru: 'Микрофон', kk: 'Микрофон' },
  'category.recording-pc': { ru: 'ПК записи секретаря', kk: 'Хатшының жазу компьютері' },
  'category.vks-endpoint': { ru: 'Терминал ВКС', kk: 'БКБ терминалы' },
  'category.server': { ru: 'Сервер', kk: 'Сервер' },
  'category.other': { ru: 'Прочее', kk: 'Басқа' },

  // Court levels
  'level.district': { ru: 'Районный суд', kk: 'Аудандық сот' },
  'level.regional': { ru: 'Областной суд', kk: 'Облыстық сот' },
  'level.supreme': { ru: 'Верховный суд', kk: 'Жоғарғы Сот' },

  // Probe outcomes that any driver can report (collector/scheduler)
  'probe.timeout': {
    ru: 'Устройство не ответило за {timeoutMs} мс',
    kk: 'Құрылғы {timeoutMs} мс ішінде жауап бермеді',
  },
  'probe.error': { ru: 'Ошибка проверки: {error}', kk: 'Тексеру қатесі: {error}' },
  'probe.stale': {
    ru: 'Нет свежих результатов проверки с {since}',
    kk: '{since} бастап жаңа тексеру нәтижелері жоқ',
  },
  'probe.never': { ru: 'Устройство ещё не проверялось', kk: 'Құрылғы әлі тексерілмеген' },

  // tcp driver
  'tcp.connect.ok': { ru: 'Порт {port} доступен ({rttMs} мс)', kk: '{port} порты қолжетімді ({rttMs} мс)' },
  'tcp.connect.refused': { ru: 'Порт {port} закрыт (соединение отклонено)', kk: '{port} порты жабық (қосылу қабылданбады)' },
  'tcp.connect.unreachable': { ru: 'Адрес {host} недоступен: {error}', kk: '{host} мекенжайы қолжетімсіз: {error}' },

  // http driver
  'http.status.ok': { ru: 'HTTP {code} за {rttMs} мс', kk: 'HTTP {code}, {rttMs} мс' },
  'http.status.unexpected': {
    ru: 'Ответ HTTP {code}, ожидался {expected}',
    kk: 'HTTP {code} жауабы, күтілгені {expected}',
  },
  'http.unreachable': { ru: 'Нет ответа по HTTP: {error}', kk: 'HTTP бойынша жауап жоқ: {error}' },
  'http.tls.invalid': { ru: 'Ошибка сертификата TLS: {error}', kk: 'TLS сертификатының қатесі: {error}' },
  'http.body.missing': {
    ru: 'В ответе нет ожидаемого текста «{text}»',
    kk: 'Жауапта күтілген «{text}» мәтіні жоқ',
  },
  'http.body.ok': { ru: 'Содержимое ответа в норме', kk: 'Жауаптың мазмұны дұрыс' },
  'http.json.invalid': { ru: 'Ответ не является JSON: {error}', kk: 'Жауап JSON емес: {error}' },
  'http.json.mismatch': {
    ru: 'Поле {field} = {actual}, ожидалось {expected}',
    kk: '{field} өрісі = {actual}, күтілгені {expected}',
  },
  'http.json.ok': { ru: 'Поле {field} = {actual}', kk: '{field} өрісі = {actual}' },
  'http.body.too-large': {
    ru: 'Ответ больше {limit} байт',
    kk: 'Жауап {limit} байттан үлкен',
  },

  // ---- Console UI (console-ui/src) ----
  // Header and shell
  'ui.app.subtitle': {
    ru: 'Мониторинг АВФ и ВКС залов судебных заседаний',
    kk: 'Сот отырысы залдарының АБТ және БКБ мониторингі',
  },
  'ui.app.clock': { ru: 'Алматы, {time}', kk: 'Алматы, {time}' },
  'ui.app.clockHint': {
    ru: 'Все время указано по Алматы',
    kk: 'Барлық уақыт Алматы уақытымен көрсетілген',
  },
  'ui.conn.connected': { ru: 'На связи', kk: 'Байланыс бар' },
  'ui.conn.connecting': { ru: 'Подключение…', kk: 'Қосылуда…' },
  'ui.conn.reconnecting': { ru: 'Нет связи, переподключение…', kk: 'Байланыс жоқ, қайта қосылуда…' },
  'ui.conn.hint': {
    ru: 'Состояние канала обновлений в реальном времени',
    kk: 'Нақты уақыттағы жаңартулар арнасының күйі',
  },
  'ui.lang.label': { ru: 'Язык интерфейса', kk: 'Интерфейс тілі' },
  'ui.lang.self': { ru: 'Русский', kk: 'Қазақша' },
  'ui.lang.short': { ru: 'РУС', kk: 'ҚАЗ' },
  'ui.loading': { ru: 'Загрузка…', kk: 'Жүктелуде…' },
  'ui.retry': { ru: 'Повторить', kk: 'Қайталау' },
  'ui.nav.back': { ru: 'Все залы', kk: 'Барлық залдар' },

  // Errors shown by the console
  'ui.error.load': { ru: 'Не удалось загрузить данные', kk: 'Деректерді жүктеу мүмкін болмады' },
  'ui.error.network': { ru: 'Нет связи с сервером', kk: 'Сервермен байланыс жоқ' },
  'ui.error.http': { ru: 'Сервер вернул ошибку {code}', kk: 'Сервер {code} қатесін қайтарды' },
  'ui.error.notFound': { ru: 'Не найдено', kk: 'Табылмады' },

  // Board
  'ui.summary.total': { ru: 'Всего залов', kk: 'Барлық залдар' },
  'ui.summary.shown': { ru: 'Показано залов: {shown} из {total}', kk: 'Көрсетілген залдар: {total} ішінен {shown}' },
  'ui.filter.statusHint': {
    ru: 'Показать только залы в этом состоянии',
    kk: 'Тек осы күйдегі залдарды көрсету',
  },
  'ui.filter.allHint': { ru: 'Показать все залы', kk: 'Барлық залдарды көрсету' },
  'ui.filter.searchLabel': { ru: 'Поиск по суду или залу', kk: 'Сот немесе зал бойынша іздеу' },
  'ui.filter.searchPlaceholder': { ru: 'Суд, зал или номер…', kk: 'Сот, зал немесе нөмір…' },
  'ui.filter.reset': { ru: 'Сбросить фильтры', kk: 'Сүзгілерді тазарту' },
  'ui.filter.empty': { ru: 'Нет залов, подходящих под фильтр', kk: 'Сүзгіге сәйкес келетін залдар жоқ' },
  'ui.board.empty': { ru: 'Залы не зарегистрированы', kk: 'Залдар тіркелмеген' },
  'ui.board.updated': { ru: 'Данные на {time}', kk: '{time} жағдай бойынша деректер' },
  'ui.board.stale': {
    ru: 'Нет связи с сервером: данные могут быть устаревшими',
    kk: 'Сервермен байланыс жоқ: деректер ескірген болуы мүмкін',
  },
  'ui.board.courts': { ru: 'Судов: {count}', kk: 'Соттар: {count}' },
  'ui.board.halls': { ru: 'Залов: {count}', kk: 'Залдар: {count}' },
  'ui.tile.since': { ru: 'с {time}', kk: '{time} бастап' },
  'ui.tile.more': { ru: 'и ещё {count}', kk: 'тағы {count}' },
  'ui.cause': { ru: '{category}: {message}', kk: '{category}: {message}' },

  // Hall page
  'ui.hall.number': { ru: 'Зал № {number}', kk: '№ {number} зал' },
  'ui.hall.notFound': { ru: 'Зал «{id}» не найден', kk: '«{id}» залы табылмады' },
  'ui.hall.region': { ru: 'Регион', kk: 'Өңір' },
  'ui.hall.court': { ru: 'Суд', kk: 'Сот' },
  'ui.hall.sinceLong': {
    ru: 'В этом состоянии с {time} ({duration})',
    kk: 'Осы күйде {time} бастап ({duration})',
  },
  'ui.hall.causes': { ru: 'Причины', kk: 'Себептері' },
  'ui.hall.noCauses': { ru: 'Неисправностей не обнаружено', kk: 'Ақаулар анықталған жоқ' },
  'ui.hall.systemNone': { ru: 'не установлена', kk: 'орнатылмаған' },
  'ui.hall.devices': { ru: 'Оборудование зала', kk: 'Зал жабдықтары' },
  'ui.hall.noDevices': { ru: 'Оборудование не зарегистрировано', kk: 'Жабдық тіркелмеген' },
  'ui.history.title': { ru: 'История состояния зала', kk: 'Зал күйінің тарихы' },
  'ui.history.empty': { ru: 'Изменений пока нет', kk: 'Әзірге өзгерістер жоқ' },
  'ui.history.checks': { ru: 'Последние проверки', kk: 'Соңғы тексерулер' },
  'ui.history.now': { ru: 'по настоящее время', kk: 'қазіргі уақытқа дейін' },

  // Devices and checks
  'ui.device.critical': { ru: 'Критичное', kk: 'Маңызды' },
  'ui.device.notCritical': { ru: 'Некритичное', kk: 'Маңызды емес' },
  'ui.device.criticalHint': {
    ru: 'Отказ критичного устройства делает запись невозможной',
    kk: 'Маңызды құрылғы істен шықса, жазу мүмкін болмайды',
  },
  'ui.device.address': { ru: 'Адрес', kk: 'Мекенжайы' },
  'ui.device.interval': { ru: 'Опрос каждые {seconds} с', kk: 'Әр {seconds} с сайын сұралады' },
  'ui.device.lastProbe': { ru: 'Последняя проверка: {time}', kk: 'Соңғы тексеру: {time}' },
  'ui.device.never': { ru: 'Ещё не проверялось', kk: 'Әлі тексерілмеген' },
  'ui.device.noChecks': { ru: 'Результатов проверок пока нет', kk: 'Тексеру нәтижелері әзірге жоқ' },
  'ui.device.probeNow': { ru: 'Проверить сейчас', kk: 'Қазір тексеру' },
  'ui.device.probing': { ru: 'Проверка…', kk: 'Тексерілуде…' },
  'ui.device.probeDone': { ru: 'Проверено в {time}', kk: '{time} тексерілді' },
  'ui.device.probeFailed': { ru: 'Проверка не выполнена: {error}', kk: 'Тексеру орындалмады: {error}' },
  'ui.check.check': { ru: 'Проверка', kk: 'Тексеру' },
  'ui.check.status': { ru: 'Состояние', kk: 'Күйі' },
  'ui.check.result': { ru: 'Результат', kk: 'Нәтижесі' },
  'ui.check.values': { ru: 'Показатели', kk: 'Көрсеткіштер' },
  'ui.check.time': { ru: 'Время', kk: 'Уақыты' },
  'ui.check.device': { ru: 'Устройство', kk: 'Құрылғы' },
  'ui.check.duration': { ru: 'длительность {value} мс', kk: 'ұзақтығы {value} мс' },
  'ui.unit.ms': { ru: '{value} мс', kk: '{value} мс' },
  'ui.unit.b': { ru: '{value} Б', kk: '{value} Б' },
  'ui.unit.kb': { ru: '{value} КБ', kk: '{value} КБ' },
  'ui.unit.mb': { ru: '{value} МБ', kk: '{value} МБ' },
  'ui.unit.gb': { ru: '{value} ГБ', kk: '{value} ГБ' },
  'ui.unit.tb': { ru: '{value} ТБ', kk: '{value} ТБ' },

  // Durations
  'ui.duration.days': { ru: '{d} д {h} ч', kk: '{d} тәул. {h} сағ.' },
  'ui.duration.hours': { ru: '{h} ч {m} мин', kk: '{h} сағ. {m} мин.' },
  'ui.duration.minutes': { ru: '{m} мин', kk: '{m} мин.' },
  'ui.duration.lessThanMinute': { ru: 'меньше минуты', kk: 'бір минуттан аз' },

  // Check names and figures (the console falls back to the raw name when a key is missing)
  'check.tcp-connect': { ru: 'TCP-подключение', kk: 'TCP қосылымы' },
  'check.http-status': { ru: 'HTTP-ответ', kk: 'HTTP жауабы' },
  'check.http-body': { ru: 'Содержимое ответа', kk: 'Жауап мазмұны' },
  'check.http-json': { ru: 'Поле JSON', kk: 'JSON өрісі' },
  'check.http-tls': { ru: 'Сертификат TLS', kk: 'TLS сертификаты' },
  'value.rttMs': { ru: 'задержка {value} мс', kk: 'кідіріс {value} мс' },
  'value.code': { ru: 'код {value}', kk: 'коды {value}' },
  'value.port': { ru: 'порт {value}', kk: 'порт {value}' },
  'value.timeoutMs': { ru: 'тайм-аут {value} мс', kk: 'күту шегі {value} мс' },
  'value.bytes': { ru: '{value} байт', kk: '{value} байт' },
  'value.freeBytes': { ru: 'свободно {value}', kk: 'бос орын {value}' },
  'value.rtt_ms': { ru: 'задержка {value} мс', kk: 'кідіріс {value} мс' },
  'value.status_code': { ru: 'код HTTP {value}', kk: 'HTTP коды {value}' },
  'check.probe': { ru: 'Опрос устройства', kk: 'Құрылғыны сұрау' },
  'ui.error.internal': { ru: 'Внутренняя ошибка сервера', kk: 'Сервердің ішкі қатесі' },
} satisfies Record<string, Message>;

export type MessageKey = keyof typeof messages;

const catalog: Record<string, Message> = messages;

export function hasMessage(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(catalog, key);
}

/** Translate a key with its parameters; an unknown key falls back to the given English text. */
export function translate(
  lang: Lang,
  key: string,
  params?: Record<string, string | number>,
  fallback?: string,
): string {
  const m = hasMessage(key) ? catalog[key] : undefined;
  const template = m ? m[lang] : (fallback ?? key);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && name in params ? String(params[name]) : whole,
  );
}
