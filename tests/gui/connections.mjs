// Holds connections to a server open, for serve.test.mjs: a process of its own, so that the
// sockets count against its own limit of open files and not the test's. Arguments: the port, how
// many connections to open and leave idle, how many to open that send requests and never read
// the answers, the path those ask for, and how many times each asks for it (pipelined).
// Prints "open N" once every connection is established, then holds them until standard input
// closes.
import { connect } from 'node:net';

const [port, idle, stuck] = process.argv.slice(2, 5).map(Number);
const [page, times] = [process.argv[5], Number(process.argv[6])];
const request = `GET ${page} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`.repeat(times);
const sockets = [];
let established = 0;

function open(send) {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => {});
  socket.on('connect', () => {
    if (send) {
      socket.pause();
      socket.write(request);
    }
    established += 1;
    if (established === idle + stuck) console.log(`open ${established}`);
  });
  sockets.push(socket);
}

for (let i = 0; i < idle; i += 1) open(false);
for (let i = 0; i < stuck; i += 1) open(true);
process.stdin.resume();
process.stdin.on('end', () => {
  for (const socket of sockets) socket.destroy();
  process.exit(0);
});
