"""Query processes without a network: a seccomp filter that refuses to create any socket but a
Unix one.

The safety check (:mod:`claimgraph.sparql.safety`) keeps ``SERVICE`` and ``LOAD`` away from the
engine; this is the second, independent wall.  Every query process installs, before it reads
its first task, a seccomp-BPF filter (Linux ≥ 3.5, no privileges needed once
``PR_SET_NO_NEW_PRIVS`` is set) under which

* ``socket(domain, …)`` fails with ``EACCES`` for every domain but ``AF_UNIX`` (the pipes to
  the server stay usable; ``AF_INET``, ``AF_INET6``, ``AF_NETLINK``, ``AF_PACKET`` … do not);
* ``io_uring_setup`` fails with ``ENOSYS`` (io_uring can open sockets without ``socket()``);
* a system call of another ABI (x32, i386) fails with ``EPERM``.

So even a request that slipped past every check could not open a connection: pyoxigraph's
HTTP client gets an error and the listener sees nothing.  A filter cannot be removed, and
children inherit it.

Where the platform cannot install it (not Linux, an architecture this module does not know,
seccomp disabled in the kernel or by a container), :func:`install` raises
:class:`SandboxUnavailable`; the server then refuses to start unless the
``allow_network_in_queries`` setting says otherwise.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import socket
import struct
import sys

__all__ = ["SandboxUnavailable", "install", "probe"]

# <linux/filter.h>, <linux/seccomp.h>, <linux/audit.h>
_BPF_LD_W_ABS = 0x00 | 0x00 | 0x20
_BPF_JMP_JEQ_K = 0x05 | 0x10 | 0x00
_BPF_JMP_JGE_K = 0x05 | 0x30 | 0x00
_BPF_RET_K = 0x06 | 0x00
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2

# offsets in struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]
_NR, _ARCH, _ARG0 = 0, 4, 16

_ARCHES = {
    # machine: (AUDIT_ARCH_*, __NR_socket, __NR_io_uring_setup, first foreign syscall number)
    "x86_64": (0xC000003E, 41, 425, 0x40000000),  # x32 calls have bit 30 set
    "aarch64": (0xC00000B7, 198, 425, None),
}


class SandboxUnavailable(RuntimeError):
    """The network cannot be taken away from this process on this platform."""


def _insn(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def _program(machine: str) -> bytes:
    arch, nr_socket, nr_uring, foreign = _ARCHES[machine]
    deny_all = _RET_ERRNO | errno.EPERM
    prog = [
        _insn(_BPF_LD_W_ABS, _ARCH),
        _insn(_BPF_JMP_JEQ_K, arch, jt=1),  # our ABI: go on
        _insn(_BPF_RET_K, deny_all),  # another ABI: nothing
        _insn(_BPF_LD_W_ABS, _NR),
    ]
    if foreign is not None:
        prog += [_insn(_BPF_JMP_JGE_K, foreign, jf=1), _insn(_BPF_RET_K, deny_all)]
    prog += [
        _insn(_BPF_JMP_JEQ_K, nr_uring, jf=1),
        _insn(_BPF_RET_K, _RET_ERRNO | errno.ENOSYS),
        _insn(_BPF_JMP_JEQ_K, nr_socket, jf=3),  # not socket(): allow
        _insn(_BPF_LD_W_ABS, _ARG0),  # the domain (low 32 bits)
        _insn(_BPF_JMP_JEQ_K, socket.AF_UNIX, jt=1),
        _insn(_BPF_RET_K, _RET_ERRNO | errno.EACCES),
        _insn(_BPF_RET_K, _RET_ALLOW),
    ]
    return b"".join(prog)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install() -> None:
    """Take the network away from this process and its future children, for good; raise
    :class:`SandboxUnavailable` if the platform cannot."""
    machine = platform.machine()
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable(f"seccomp filters need Linux; this is {sys.platform}")
    if machine not in _ARCHES:
        raise SandboxUnavailable(f"no seccomp filter is written for the {machine} architecture")
    code = _program(machine)
    buf = ctypes.create_string_buffer(code, len(code))
    prog = _SockFprog(len(code) // 8, ctypes.cast(buf, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [
        ctypes.c_int,
        ctypes.c_ulong,
        ctypes.c_ulong,
        ctypes.c_ulong,
        ctypes.c_ulong,
    ]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(PR_SET_NO_NEW_PRIVS): {os.strerror(ctypes.get_errno())}")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(PR_SET_SECCOMP): {os.strerror(ctypes.get_errno())}")


def _try_connect() -> bool:
    """Whether this process can still create an Internet socket."""
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except OSError:
        return False
    return True


def probe() -> str | None:
    """Install the filter in a throw-away child and check that it holds: None if it does,
    else why not (for the server's start-up check)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report, then leave without running the parent's atexit hooks
        os.close(read)
        try:
            install()
            message = (
                "the filter was installed but a socket could still be made"
                if _try_connect()
                else ""
            )
        except SandboxUnavailable as e:
            message = str(e)
        except BaseException as e:  # noqa: BLE001 - any failure is a reason to report
            message = f"{type(e).__name__}: {e}"
        os.write(write, message.encode("utf-8", "replace")[:4000])
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        reason = f.read().decode("utf-8", "replace")
    os.waitpid(pid, 0)
    return reason or None
