"""A clean Debian root to install the .deb into and run it in, as a counter PC would (root only).

The root is unpacked from the tarball ``installer/dev-setup.sh package-test`` makes with
``mmdebstrap --variant=apt`` (Debian 12 with apt and nothing else), so whatever the installed
program finds there came from the package's own Depends. Every command runs through ``unshare``
in a private mount namespace, where /proc, /dev and the sockets it may talk to (the X server's,
pcscd's) are mounted into the root and then ``chroot``: the mounts vanish with the command, and
the machine's own environment (its Python, its fonts, its libraries) is never visible.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# The counter's clerk: an ordinary user, as the program is run at a hall (never root).
CLERK_UID = 1000
CLERK_HOME = "/home/clerk"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass
class DebianRoot:
    path: Path
    # Host folders mounted at the same path inside the root for every command.
    shared: list[Path] = field(default_factory=list)
    # Host folder mounted as the root's apt archive cache (downloads kept between runs).
    apt_cache: Path | None = None

    @classmethod
    def unpack(cls, tarball: Path, into: Path) -> DebianRoot:
        into.mkdir(parents=True)
        subprocess.run(["tar", "-xf", str(tarball), "-C", str(into)], check=True)
        root = cls(into)
        root.prepare()
        return root

    def prepare(self) -> None:
        """What a freshly installed machine has besides its packages: name resolution for the
        mirror, a clerk's account, and no service starting inside a chroot (policy-rc.d)."""
        etc = self.path / "etc"
        (etc / "resolv.conf").unlink(missing_ok=True)
        (etc / "resolv.conf").write_bytes(Path("/etc/resolv.conf").read_bytes())
        policy = self.path / "usr" / "sbin" / "policy-rc.d"
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
        with (etc / "passwd").open("a") as passwd:
            passwd.write(f"clerk:x:{CLERK_UID}:{CLERK_UID}:Clerk:{CLERK_HOME}:/bin/sh\n")
        with (etc / "group").open("a") as group:
            group.write(f"clerk:x:{CLERK_UID}:\n")
        home = self.inside(CLERK_HOME)
        home.mkdir(parents=True)
        os.chown(home, CLERK_UID, CLERK_UID)

    def inside(self, path: str) -> Path:
        """The host path of ``path`` in the root."""
        return self.path / path.lstrip("/")

    def command(
        self, argv: list[str], *, clerk: bool = False, env: dict[str, str] | None = None
    ) -> list[str]:
        mounts = [
            'mount -t proc proc "$R/proc"',
            'mount --rbind /dev "$R/dev"',
        ]
        for folder in self.shared:
            if folder.exists():
                target = shlex.quote(str(self.inside(str(folder))))
                mounts += [
                    f"mkdir -p {target}",
                    f"mount --bind {shlex.quote(str(folder))} {target}",
                ]
        if self.apt_cache is not None:
            (self.apt_cache / "partial").mkdir(parents=True, exist_ok=True)
            target = shlex.quote(str(self.inside("/var/cache/apt/archives")))
            mounts.append(f"mount --bind {shlex.quote(str(self.apt_cache))} {target}")
        home = CLERK_HOME if clerk else "/root"
        variables = {"PATH": PATH, "HOME": home, "LANG": "C.UTF-8", **(env or {})}
        chroot = ["chroot", *([f"--userspec={CLERK_UID}:{CLERK_UID}"] if clerk else []), '"$R"']
        script = "set -e; " + "; ".join(mounts) + "; exec " + " ".join(chroot) + ' env -i "$@"'
        return [
            "unshare", "--mount", "--propagation", "private", "--",
            "env", f"R={self.path}", "sh", "-c", script, "sh",
            *[f"{key}={value}" for key, value in variables.items()], *argv,
        ]  # fmt: skip

    def run(
        self,
        *argv: str,
        clerk: bool = False,
        env: dict[str, str] | None = None,
        timeout: float = 600,
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(list(argv), clerk=clerk, env=env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *argv: str, clerk: bool = False, env: dict[str, str] | None = None) -> str:
        done = self.run(*argv, clerk=clerk, env=env)
        assert done.returncode == 0, (
            f"{argv} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        )
        return done.stdout

    def popen(
        self, *argv: str, clerk: bool = False, env: dict[str, str] | None = None, **options: object
    ) -> subprocess.Popen[str]:
        """A long-running command (the GUI, a virtual card), in a process group of its own so
        that stopping it stops what runs in the root."""
        return subprocess.Popen(
            self.command(list(argv), clerk=clerk, env=env),
            text=True,
            start_new_session=True,
            **options,  # type: ignore[arg-type]
        )
