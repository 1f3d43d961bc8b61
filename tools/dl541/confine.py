"""Kernel-level confinement of a grading child (Linux): what student code can never do.

- rlimits: address space, file size (output cap), no core dumps;
- seccomp (x86-64): no threads or processes, no signals to others, no new signal handlers or
  timers, no ptrace or cross-process memory access;
- Landlock (where the kernel has it): read only the Python installation, the grader and the
  autograder's files; write only inside the scratch folder; no TCP; no signals out.
Each step reports whether it took effect; none of them needs root.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import struct
import sys

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_libc.prctl.restype = ctypes.c_int
_libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]

PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
PR_SET_PDEATHSIG = 1
SECCOMP_MODE_FILTER = 2


def one_process_rule(what: str) -> str:
    """The message that refuses `what` (a new thread or process) to a submission: what to change."""
    return (
        f"grading runs each submission in one process without threads: {what} is not allowed; "
        "do the work in this process (for a DataLoader, num_workers=0 is used automatically)"
    )


def die_with_parent() -> None:
    """Have the kernel kill this process when the grader that forked it dies."""
    _libc.prctl(PR_SET_PDEATHSIG, 9, 0, 0, 0)
    if os.getppid() == 1:
        os._exit(0)


def set_limits(memory_bytes: int, output_bytes: int) -> None:
    """Cap the address space (on top of what is mapped now), file sizes, and core dumps."""
    try:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        mapped = 0
    limit = memory_bytes + mapped
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output_bytes, output_bytes))


# --- seccomp -------------------------------------------------------------------------------------

_X86_64 = 0xC000003E
_EPERM, _ENOSYS = 1, 38
_DENIED_X86_64 = {
    56: _EPERM,  # clone: threads and processes
    435: _ENOSYS,  # clone3 (glibc falls back to clone, which is denied)
    57: _EPERM,
    58: _EPERM,  # fork, vfork
    59: _EPERM,
    322: _EPERM,  # execve, execveat
    101: _EPERM,  # ptrace
    310: _EPERM,
    311: _EPERM,  # process_vm_readv / writev
    62: _EPERM,
    200: _EPERM,
    234: _EPERM,  # kill, tkill, tgkill
    129: _EPERM,
    297: _EPERM,
    424: _EPERM,  # rt_sigqueueinfo, rt_tgsigqueueinfo, pidfd_send_signal
    13: _EPERM,  # rt_sigaction: no new signal handlers
    37: _EPERM,
    38: _EPERM,  # alarm, setitimer
    222: _EPERM,
    223: _EPERM,  # timer_create, timer_settime
    41: _EPERM,
    42: _EPERM,
    49: _EPERM,  # socket, connect, bind
}


def _bpf(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def install_seccomp() -> bool:
    """Deny the syscalls above with an errno; True when the filter is in force."""
    if platform.machine() != "x86_64":
        return False
    ld_w_abs, jeq_k, ret_k = 0x20, 0x15, 0x06
    allow, errno = 0x7FFF0000, 0x00050000
    prog = [
        _bpf(ld_w_abs, 0, 0, 4),
        _bpf(jeq_k, 1, 0, _X86_64),
        _bpf(ret_k, 0, 0, allow),
        _bpf(ld_w_abs, 0, 0, 0),
    ]
    for nr, err in _DENIED_X86_64.items():
        prog.append(_bpf(jeq_k, 0, 1, nr))
        prog.append(_bpf(ret_k, 0, 0, errno | err))
    prog.append(_bpf(ret_k, 0, 0, allow))
    code = b"".join(prog)
    buf = ctypes.create_string_buffer(code, len(code))
    fprog = struct.pack("HxxxxxxQ", len(prog), ctypes.addressof(buf))
    fbuf = ctypes.create_string_buffer(fprog, len(fprog))
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fbuf), 0, 0) == 0


# --- Landlock ------------------------------------------------------------------------------------

_SYS_CREATE, _SYS_ADD, _SYS_RESTRICT = 444, 445, 446
_FS_BY_ABI = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 4: (1 << 15) - 1, 5: (1 << 16) - 1}
_READ = (1 << 0) | (1 << 2) | (1 << 3)  # execute, read_file, read_dir
_WRITE_FILE, _TRUNCATE, _IOCTL_DEV = 1 << 1, 1 << 14, 1 << 15


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when Landlock is not available."""
    if platform.system() != "Linux":
        return 0
    version = _libc.syscall(_SYS_CREATE, None, ctypes.c_size_t(0), ctypes.c_uint32(1))
    return max(0, int(version))


def install_landlock(read_paths: list[str], write_paths: list[str], device_paths: list[str]) -> bool:
    """Restrict this process's file access to the given trees; True when in force."""
    abi = landlock_abi()
    if abi < 1:
        return False
    fs = _FS_BY_ABI.get(abi, _FS_BY_ABI[5])
    if abi >= 6:
        attr = struct.pack("QQQ", fs, 0b11, 0b11)  # no TCP bind/connect; scoped unix sockets, signals
    elif abi >= 4:
        attr = struct.pack("QQ", fs, 0b11)
    else:
        attr = struct.pack("Q", fs)
    ruleset = _libc.syscall(_SYS_CREATE, attr, ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        return False
    try:
        dev_access = _READ | _WRITE_FILE | (_IOCTL_DEV if abi >= 5 else 0)
        rules = [(p, _READ & fs) for p in read_paths] + [(p, fs) for p in write_paths]
        rules += [(p, dev_access & fs) for p in device_paths]
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                if os.path.isfile(path):
                    access &= _READ | _WRITE_FILE | _TRUNCATE | _IOCTL_DEV
                rule = struct.pack("=Qi", access, fd)
                _libc.syscall(_SYS_ADD, ctypes.c_int(ruleset), ctypes.c_int(1), rule, ctypes.c_uint32(0))
            finally:
                os.close(fd)
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return _libc.syscall(_SYS_RESTRICT, ctypes.c_int(ruleset), ctypes.c_uint32(0)) == 0
    finally:
        os.close(ruleset)


def python_read_paths(extra: list[str]) -> list[str]:
    """Where a grading child may read: the Python installation, site-packages, system libraries."""
    import site

    roots = {
        sys.prefix,
        sys.base_prefix,
        sys.exec_prefix,
        sys.base_exec_prefix,
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    }
    roots.update(site.getsitepackages())
    roots.update(p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p)
    roots.update(["/usr", "/lib", "/lib64", "/etc", "/proc", "/sys", "/opt/conda"])
    roots.update(extra)
    return sorted(r for r in roots if os.path.exists(r))
