#!/usr/bin/env python3
"""recvtty.py SOCKET OUT: the receiving end of --console-socket, for tests. Listens on
SOCKET, takes the pty master a runtime sends (SCM_RIGHTS), and copies what the
container writes on its terminal to OUT until the terminal closes."""
import array
import os
import socket
import sys


def main():
    path, out = sys.argv[1], sys.argv[2]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    conn, _ = srv.accept()
    fds = array.array("i")
    _, anc, _, _ = conn.recvmsg(4096, socket.CMSG_LEN(fds.itemsize))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    conn.close()
    srv.close()
    if not fds:
        sys.exit("recvtty: no fd received")
    with open(out, "wb") as f:
        while True:
            try:
                chunk = os.read(fds[0], 4096)
            except OSError:  # EIO: the last slave fd closed
                break
            if not chunk:
                break
            f.write(chunk)
            f.flush()


main()
