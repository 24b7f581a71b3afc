"""A counting TCP proxy between a tool and a database server: it forwards bytes
both ways unchanged and counts round trips, the client's turns to speak (each
time the client sends after the server last sent, or first on a connection).
Pipelined messages (a batch of statements in one simple query, sqlx's
Parse/Bind/Execute/Sync) are one turn; every statement a client waits for
is one. Engine- and tool-agnostic: no protocol is parsed, nothing is logged on
the server (PostgreSQL's log_statement and MariaDB's session counters would
see only their own session, or every session on a shared server)."""

from __future__ import annotations

import selectors
import socket
import threading


class CountingProxy:
    """`with CountingProxy(host, port) as p:` listens on 127.0.0.1:p.port;
    p.turns and p.connections after the tool exits."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.turns = 0
        self.connections = 0
        self.lock = threading.Lock()
        self.stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> "CountingProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop = True
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            pass
        self.thread.join(timeout=5)
        self.listener.close()

    def _accept(self) -> None:
        while True:
            client, _ = self.listener.accept()
            if self.stop:
                client.close()
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._pipe, args=(client,), daemon=True).start()

    def _pipe(self, client: socket.socket) -> None:
        try:
            server = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sel = selectors.DefaultSelector()
        sel.register(client, selectors.EVENT_READ, server)
        sel.register(server, selectors.EVENT_READ, client)
        last = None  # who sent last: "client" | "server"
        turns = 0
        open_ = True
        while open_:
            for key, _ in sel.select():
                src, dst = key.fileobj, key.data
                try:
                    data = src.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    open_ = False
                    break
                if src is client:
                    if last != "client":
                        turns += 1
                    last = "client"
                else:
                    last = "server"
                try:
                    dst.sendall(data)
                except OSError:
                    open_ = False
                    break
        sel.close()
        client.close()
        server.close()
        with self.lock:
            self.turns += turns
