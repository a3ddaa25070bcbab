// A web client of Sluice's Arrow over HTTP, as the CDP UI would be one: fetch POST /v1/query with
// Basic authentication and decode the Arrow IPC stream batch by batch with apache-arrow.
//
//   node query.mjs <url> <user> <password> <sql> [parameters as a JSON list]
//
// Prints one JSON line: {"status", "row_count", "batches", "columns", "first_row"}. Exits 2 with
// the gateway's error body when the query is refused, 1 when the stream breaks off (a truncated
// answer must never pass for a whole one), 0 otherwise.

import { RecordBatchReader } from 'apache-arrow';

const [url, user, password, sql, parameters] = process.argv.slice(2);
if (!url || !user || password === undefined || !sql) {
  console.error('usage: node query.mjs <url> <user> <password> <sql> [parameters as JSON]');
  process.exit(64);
}

// The body's bytes as an async iterable that throws when the connection breaks off. Handing the
// Response (or response.body) to apache-arrow directly is not enough: its ReadableStream adapter
// swallows read errors and ends the stream as if it were complete, so a cut-off answer would pass
// for a whole one. (tableFromIPC(bodyChunks(response.body)) works the same way.)
async function* bodyChunks(body) {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

// BigInt (Arrow Int64) is not JSON; decimals come as Arrow Decimal values, printed as text.
function plain(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object') return String(value);
  return value;
}

const response = await fetch(url, {
  method: 'POST',
  headers: {
    Authorization: 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64'),
    'Content-Type': 'application/json',
    Accept: 'application/vnd.apache.arrow.stream',
  },
  body: JSON.stringify({ sql, parameters: parameters ? JSON.parse(parameters) : [] }),
});
if (!response.ok) {
  console.log(JSON.stringify({ status: response.status, error: await response.json() }));
  process.exit(2);
}

try {
  const reader = await RecordBatchReader.from(bodyChunks(response.body));
  let rowCount = 0;
  let batches = 0;
  let firstRow = null;
  let columns = null;
  for await (const batch of reader) {
    columns ??= batch.schema.fields.map((field) => ({ name: field.name, type: String(field.type) }));
    if (firstRow === null && batch.numRows > 0) {
      const row = batch.get(0);
      firstRow = Object.fromEntries(batch.schema.fields.map((field) => [field.name, plain(row[field.name])]));
    }
    rowCount += batch.numRows;
    batches += 1;
  }
  columns ??= reader.schema.fields.map((field) => ({ name: field.name, type: String(field.type) }));
  console.log(JSON.stringify({ status: response.status, row_count: rowCount, batches, columns, first_row: firstRow }));
} catch (error) {
  console.error(`The result stream broke off: ${error.message}${error.cause ? ` (${error.cause.message})` : ''}`);
  process.exit(1);
}
