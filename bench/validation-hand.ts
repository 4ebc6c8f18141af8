/**
 * The validation bench's floor: the order schema's rules (validation-schema.ts) checked by hand, the way a
 * careful engineer writes it for one type: regular expressions compiled once, one pass, a plain boolean,
 * no issue list. Objects are closed like the schema's (`additionalProperties: false`); numbers are finite.
 */

const ORDER_ID = /^ORD-[0-9]{8}$/;
const CUSTOMER_ID = /^C[0-9]{6}$/;
const POSTAL_CODE = /^[0-9]{5}$/;
const COUNTRY = /^[A-Z]{2}$/;
const SKU = /^[A-Z]{3}-[0-9]{4,6}$/;
const SERVICE_CODE = /^SRV-[0-9]{3}$/;
/** A dot-atom local part, `@`, and at least two host labels. */
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === "string";
}

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** RFC 3339 date-time: `2026-11-21T12:00:00.000Z`, `2026-11-21T12:00:00+01:00`. */
function isDateTime(text: string): boolean {
  if (text.length < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const t = text.charCodeAt(10);
  if ((t !== 84 && t !== 116) || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
  const century = twoDigits(text, 0);
  const yy = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 0 || yy < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return false;
  if (minute < 0 || minute > 59 || second < 0 || second > 60) return false;
  const year = century * 100 + yy;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  if (day > days) return false;
  let i = 19;
  if (text.charCodeAt(i) === 46) {
    do i++;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57);
    if (i === 20) return false;
  }
  const zone = text.charCodeAt(i);
  let offset = 0;
  if (zone === 90 || zone === 122) {
    if (i + 1 !== text.length) return false;
  } else if (zone === 43 || zone === 45) {
    const oh = twoDigits(text, i + 1);
    const om = twoDigits(text, i + 4);
    if (i + 6 !== text.length || text.charCodeAt(i + 3) !== 58 || oh < 0 || oh > 23 || om < 0 || om > 59) return false;
    offset = (zone === 43 ? 1 : -1) * (oh * 60 + om);
  } else {
    return false;
  }
  // A leap second only ever falls at 23:59:60 UTC.
  return second < 60 || ((((hour * 60 + minute - offset) % 1440) + 1440) % 1440 === 1439);
}

function isMoney(value: unknown): boolean {
  if (!isObject(value)) return false;
  const currency = value["currency"];
  if (!isNumber(value["amount"]) || (currency !== "EUR" && currency !== "USD")) return false;
  for (const key in value) if (key !== "amount" && key !== "currency") return false;
  return true;
}

function isAddress(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { postalCode, country } = value;
  if (typeof value["street"] !== "string" || typeof value["city"] !== "string") return false;
  if (typeof postalCode !== "string" || !POSTAL_CODE.test(postalCode)) return false;
  if (typeof country !== "string" || !COUNTRY.test(country)) return false;
  for (const key in value) {
    if (key !== "street" && key !== "city" && key !== "postalCode" && key !== "country") return false;
  }
  return true;
}

function isCustomer(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { id, email, shipping } = value;
  if (typeof id !== "string" || !CUSTOMER_ID.test(id) || typeof value["name"] !== "string") return false;
  if (typeof email !== "string" || !EMAIL.test(email) || !isOptionalString(value["phone"])) return false;
  if (!isAddress(value["billing"]) || (shipping !== undefined && !isAddress(shipping))) return false;
  for (const key in value) {
    switch (key) {
      case "id":
      case "name":
      case "email":
      case "phone":
      case "billing":
      case "shipping":
        break;
      default:
        return false;
    }
  }
  return true;
}

function isLine(value: unknown): boolean {
  if (!isObject(value)) return false;
  switch (value["kind"]) {
    case "product": {
      const { sku, quantity } = value;
      if (typeof sku !== "string" || !SKU.test(sku)) return false;
      if (typeof quantity !== "number" || !Number.isInteger(quantity) || quantity < 1) return false;
      if (!isMoney(value["price"]) || !isOptionalString(value["note"])) return false;
      for (const key in value) {
        if (key !== "kind" && key !== "sku" && key !== "quantity" && key !== "price" && key !== "note") return false;
      }
      return true;
    }
    case "service": {
      const { code, hours, rate } = value;
      if (typeof code !== "string" || !SERVICE_CODE.test(code) || !isNumber(hours) || hours < 0) return false;
      if (rate !== undefined && !isMoney(rate)) return false;
      for (const key in value) if (key !== "kind" && key !== "code" && key !== "hours" && key !== "rate") return false;
      return true;
    }
    case "discount": {
      const percent = value["percent"];
      if (!isNumber(percent) || percent <= 0 || percent > 100 || !isOptionalString(value["reason"])) return false;
      for (const key in value) if (key !== "kind" && key !== "percent" && key !== "reason") return false;
      return true;
    }
    default:
      return false;
  }
}

/** Whether `value` is a valid order. */
export function isOrder(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { id, createdAt, dueAt, status, lines } = value;
  if (typeof id !== "string" || !ORDER_ID.test(id)) return false;
  if (typeof createdAt !== "string" || !isDateTime(createdAt)) return false;
  if (dueAt !== undefined && (typeof dueAt !== "string" || !isDateTime(dueAt))) return false;
  if (status !== "draft" && status !== "placed" && status !== "paid" && status !== "shipped") return false;
  if (!isCustomer(value["customer"]) || !Array.isArray(lines)) return false;
  for (let i = 0; i < lines.length; i++) if (!isLine(lines[i])) return false;
  if (!isMoney(value["total"]) || !isOptionalString(value["notes"])) return false;
  for (const key in value) {
    switch (key) {
      case "id":
      case "createdAt":
      case "dueAt":
      case "status":
      case "customer":
      case "lines":
      case "total":
      case "notes":
        break;
      default:
        return false;
    }
  }
  return true;
}
