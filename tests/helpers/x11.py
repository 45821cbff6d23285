"""A private X server for the GUI benchmark and the package test: it sees windows mapped and types
as a clerk does.

The benchmark times processes from the outside, the same way for the app and for its baseline:
a window counts as shown when the X server maps it (``MapNotify`` on the root window, which every
top-level window of a client without a window manager is a child of). Keys go in through XTEST,
like a keyboard. Only libX11 and libXtst are used, through ctypes.
"""

from __future__ import annotations

import ctypes
import os
import select
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_MAP_NOTIFY = 19
_CLIENT_MESSAGE = 33
_SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
_REVERT_TO_PARENT = 2
_KEYSYMS = {"\t": 0xFF09, "\n": 0xFF0D, "\x1b": 0xFF1B}  # Tab, Return, Escape
_SHIFT = 0xFFE1


class _MapEvent(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("event", ctypes.c_ulong),
        ("window", ctypes.c_ulong),
        ("override_redirect", ctypes.c_int),
    ]


class _ClientMessage(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    ]


class _Event(ctypes.Union):
    _fields_ = [
        ("type", ctypes.c_int),
        ("map", _MapEvent),
        ("client", _ClientMessage),
        ("pad", ctypes.c_long * 24),
    ]


@dataclass(frozen=True)
class Mapped:
    window: int
    title: str
    at: float  # time.perf_counter() when the event was read


class Display:
    """One connection to the server: waits for top-level windows and types into them."""

    def __init__(self, name: str) -> None:
        self._x = ctypes.CDLL("libX11.so.6")
        self._xtst = ctypes.CDLL("libXtst.so.6")
        x = self._x
        x.XOpenDisplay.restype = ctypes.c_void_p
        x.XDefaultRootWindow.restype = ctypes.c_ulong
        x.XInternAtom.restype = ctypes.c_ulong
        x.XKeysymToKeycode.restype = ctypes.c_ubyte
        x.XKeycodeToKeysym.restype = ctypes.c_ulong
        for function in ("XDefaultRootWindow", "XConnectionNumber", "XPending", "XFlush"):
            getattr(x, function).argtypes = [ctypes.c_void_p]
        x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
        x.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
        x.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.POINTER(_Event)]
        x.XSendEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long, ctypes.POINTER(_Event)
        ]  # fmt: skip
        x.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
        x.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        x.XKeycodeToKeysym.argtypes = [ctypes.c_void_p, ctypes.c_ubyte, ctypes.c_int]
        x.XGetWindowProperty.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
            ctypes.c_int, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
            ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p),
        ]  # fmt: skip
        x.XFree.argtypes = [ctypes.c_void_p]
        self._xtst.XTestFakeKeyEvent.argtypes = [
            ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong
        ]  # fmt: skip
        self._dpy = x.XOpenDisplay(name.encode())
        if not self._dpy:
            raise RuntimeError(f"cannot open X display {name}")
        x.XSelectInput(self._dpy, x.XDefaultRootWindow(self._dpy), _SUBSTRUCTURE_NOTIFY_MASK)
        x.XFlush(self._dpy)
        self._fd = x.XConnectionNumber(self._dpy)

    def drain(self) -> None:
        """Forget the events so far: the next map waited for comes after this call."""
        event = _Event()
        while self._x.XPending(self._dpy):
            self._x.XNextEvent(self._dpy, ctypes.byref(event))

    def next_mapped(self, timeout_s: float) -> Mapped:
        """The next top-level window mapped (popups and tooltips, override-redirect, skipped)."""
        deadline = time.perf_counter() + timeout_s
        event = _Event()
        while True:
            while self._x.XPending(self._dpy):
                self._x.XNextEvent(self._dpy, ctypes.byref(event))
                if event.type == _MAP_NOTIFY and not event.map.override_redirect:
                    at = time.perf_counter()
                    return Mapped(event.map.window, self._title(event.map.window), at)
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"no window was shown in {timeout_s:.0f} s")
            select.select([self._fd], [], [], left)

    def focus(self, window: int) -> None:
        """What a window manager does with a new window: give it the keyboard."""
        self._x.XSetInputFocus(self._dpy, window, _REVERT_TO_PARENT, 0)
        self._x.XFlush(self._dpy)

    def type(self, text: str) -> None:
        """Press and release a key for each character (ASCII, Tab, Return, Escape)."""
        fake = self._xtst.XTestFakeKeyEvent
        shift = self._x.XKeysymToKeycode(self._dpy, _SHIFT)
        for char in text:
            keysym = _KEYSYMS.get(char, ord(char))  # Latin-1 keysyms are their code points
            code = self._x.XKeysymToKeycode(self._dpy, keysym)
            shifted = self._x.XKeycodeToKeysym(self._dpy, code, 0) != keysym
            if shifted:
                fake(self._dpy, shift, 1, 0)
            fake(self._dpy, code, 1, 0)
            fake(self._dpy, code, 0, 0)
            if shifted:
                fake(self._dpy, shift, 0, 0)
        self._x.XFlush(self._dpy)

    def close_window(self, window: int) -> None:
        """Ask the window to close as a window manager's close button does (WM_DELETE_WINDOW)."""
        event = _Event()
        event.client.type = _CLIENT_MESSAGE
        event.client.window = window
        event.client.message_type = self._x.XInternAtom(self._dpy, b"WM_PROTOCOLS", 0)
        event.client.format = 32
        event.client.data[0] = self._x.XInternAtom(self._dpy, b"WM_DELETE_WINDOW", 0)
        self._x.XSendEvent(self._dpy, window, 0, 0, ctypes.byref(event))
        self._x.XFlush(self._dpy)

    def _title(self, window: int) -> str:
        x = self._x
        kind, fmt = ctypes.c_ulong(), ctypes.c_int()
        count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        utf8 = x.XInternAtom(self._dpy, b"UTF8_STRING", 0)
        name = x.XInternAtom(self._dpy, b"_NET_WM_NAME", 0)
        status = x.XGetWindowProperty(
            self._dpy, window, name, 0, 1024, 0, utf8, ctypes.byref(kind), ctypes.byref(fmt),
            ctypes.byref(count), ctypes.byref(after), ctypes.byref(data),
        )  # fmt: skip
        if status != 0 or not data.value:
            return ""
        title = ctypes.string_at(data.value, count.value).decode("utf-8", "replace")
        x.XFree(data)
        return title


@contextmanager
def xvfb(geometry: str = "1400x900x24") -> Iterator[tuple[str, Display]]:
    """A fresh Xvfb on a free display number; yields its name (for DISPLAY) and a connection."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", geometry, "-nolisten", "tcp"],
        pass_fds=[write], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    try:
        with os.fdopen(read) as stream:
            number = stream.readline().strip()  # written once the server accepts clients
        if not number:
            raise RuntimeError("Xvfb did not start")
        name = f":{number}"
        yield name, Display(name)
    finally:
        server.terminate()
        server.wait(timeout=10)
