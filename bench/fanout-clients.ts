// The fan-out figure's clients, as a child process of the bench so that their work does not
// share the API's event loop: opens N websockets to /v1/live, subscribes each to every segment,
// prints `ready` once all have their snapshot, then for every update notes how long after its
// publication (`at`) it arrived. On `done` (stdin) prints one JSON line with the latencies'
// percentiles and how many change sets each client was told of.
//   tsx bench/fanout-clients.ts <ws-url> <token> <clients>
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import { percentile } from './stats.ts';

const [url, token, clientsArg] = process.argv.slice(2);
const clients = Number(clientsArg);
const latencies: number[] = [];
const changeSets = new Array<number>(clients).fill(0);
let snapshots = 0;

for (let i = 0; i < clients; i++) {
  const socket = new WebSocket(`${url}?access_token=${token}`);
  socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', segments: '*' })));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; at?: string; merged?: number };
    if (message.type === 'snapshot' && ++snapshots === clients) console.log('ready');
    if (message.type !== 'update') return;
    latencies.push(Date.now() - Date.parse(message.at!));
    changeSets[i]! += message.merged ?? 1;
  });
  socket.on('error', (err) => console.error(`client ${i}: ${err.message}`));
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'done') return;
  const summary = {
    updates: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.reduce((a, b) => Math.max(a, b), 0),
    minChangeSets: changeSets.reduce((a, b) => Math.min(a, b), Infinity),
    maxChangeSets: changeSets.reduce((a, b) => Math.max(a, b), 0),
  };
  console.log(JSON.stringify(summary));
  process.exit(0);
});
