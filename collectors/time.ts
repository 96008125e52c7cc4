/**
 * Chalk's time formats: one operation timestamp feeds
 * every time key so that TIMESTAMP and DATETIME never disagree.
 */

/** The date/time strings chalk reports for one instant, in local time. */
export interface ChalkTimes {
  /** Unix milliseconds. */
  timestamp: bigint;
  /** `yyyy-MM-ddTHH:mm:ss.fff±HH:MM` */
  datetime: string;
  /** `yyyy-MM-dd` */
  date: string;
  /** `HH:mm:ss.fff` */
  time: string;
  /** `±HH:MM` */
  tzOffset: string;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** Formats `when` the way chalk does, with the local UTC offset (TZ honoured). */
export function chalkTimes(when: Date): ChalkTimes {
  const offsetMinutes = -when.getTimezoneOffset();
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  const tzOffset = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const date = `${when.getFullYear()}-${pad(when.getMonth() + 1)}-${pad(when.getDate())}`;
  const time = `${pad(when.getHours())}:${pad(when.getMinutes())}:${pad(when.getSeconds())}.${
    pad(when.getMilliseconds(), 3)
  }`;
  return {
    timestamp: BigInt(when.getTime()),
    datetime: `${date}T${time}${tzOffset}`,
    date,
    time,
    tzOffset,
  };
}
