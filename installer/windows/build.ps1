<#
.SYNOPSIS
Builds the Windows installer of medins-desk: dist\medins-desk-<version>-setup.exe.

.DESCRIPTION
On a Windows build machine (x64) with Python 3.11 (64-bit) and Inno Setup 6.3 or later, from a
clone of the repository:

    powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1

It does what installer/dev-setup.sh does for a Linux build, in the same order:

 1. the build's own virtualenv (build\venv-windows) with the project installed editable, with its
    [package] extra (PyInstaller) and [dev] extra (fontTools, for step 3);
 2. the GUI's compiled catalogues, ui\i18n\*.qm, from resources\i18n\*.ts (pyside6-lrelease);
 3. the vouchers' Song face (song ti): resources\fonts\song-gb2312.ttf cut from AR PL UMing by
    installer\song_subset.py. Windows has no UMing and SimSun may not be redistributed, so the
    source comes from the Debian package fonts-arphic-uming: copy its
    /usr/share/fonts/truetype/arphic/uming.ttc and /usr/share/doc/fonts-arphic-uming/copyright
    into build\fonts\ (or name them with -SongFont and -SongLicense). The licence ships in the
    installer beside the program (licenses\fonts-arphic-uming.txt);
 4. PyInstaller with installer\medins-desk.spec into dist\medins-desk\ (onedir,
    medins-desk.exe), then a smoke test of the frozen program: --version, and db upgrade and
    status on a throwaway SQLite store;
 5. ISCC.exe on installer\windows\medins-desk.iss with the version from the package metadata.

Every step runs each time; a failed one stops the build with its error. This file is ASCII:
Windows PowerShell 5.1 reads a script without a byte order mark in the ANSI code page.

.PARAMETER Python
The Python 3.11+ (64-bit) that creates the virtualenv. Default: the py launcher's 3.11.

.PARAMETER SongFont
AR PL UMing's uming.ttc. Default: build\fonts\uming.ttc.

.PARAMETER SongLicense
The licence of AR PL UMing (Debian's copyright file of fonts-arphic-uming).
Default: build\fonts\copyright.

.PARAMETER NoSongSubset
Build without the GB 2312 Song subset: the vouchers then set body text in the counter's SimSun
(slower on the first voucher of a run) or, without SimSun, in the shipped sans-serif face.

.PARAMETER InnoSetup
The folder of ISCC.exe. Default: Inno Setup 6's, from its uninstall registration.

.PARAMETER ChineseIsl
The unofficial Simplified Chinese messages of Inno Setup (ChineseSimplified.isl). Default: the
one in Inno Setup's Languages folder.
#>
[CmdletBinding()]
param(
    [string] $Python = '',
    [string] $SongFont = '',
    [string] $SongLicense = '',
    [switch] $NoSongSubset,
    [string] $InnoSetup = '',
    [string] $ChineseIsl = ''
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$Root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
$Venv = Join-Path $Root 'build\venv-windows'
$VenvPython = Join-Path $Venv 'Scripts\python.exe'
$Dist = Join-Path $Root 'dist'
$Bundle = Join-Path $Dist 'medins-desk'

function Write-Step([string] $Message) {
    Write-Host "[build] $Message" -ForegroundColor Cyan
}

# Runs a program and stops the build when it fails: PowerShell 5.1 does not stop on a native
# command's exit status by itself.
function Invoke-Checked([string] $Program, [string[]] $Arguments) {
    # To the console, not into the calling function's result.
    & $Program @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) {
        throw "$Program $($Arguments -join ' ') failed with exit code $LASTEXITCODE"
    }
}

function Find-Python {
    if ($Python) { return $Python }
    $launcher = Get-Command py.exe -ErrorAction SilentlyContinue
    if (-not $launcher) {
        throw 'No py launcher: install Python 3.11 (64-bit) from python.org, or pass -Python C:\path\to\python.exe'
    }
    $found = & $launcher.Source -3.11 -c 'import sys; print(sys.executable)'
    if ($LASTEXITCODE -ne 0) { throw 'The py launcher has no Python 3.11: install it, or pass -Python' }
    return $found.Trim()
}

function New-BuildVenv {
    if (-not (Test-Path $VenvPython)) {
        $base = Find-Python
        & $base -c 'import struct, sys; sys.exit(sys.version_info < (3, 11) or struct.calcsize(''P'') != 8)'
        if ($LASTEXITCODE -ne 0) { throw "$base is not a 64-bit Python 3.11 or later: pass -Python" }
        Write-Step "creating $Venv with $base"
        Invoke-Checked $base @('-m', 'venv', $Venv)
    }
    $pip = @('-m', 'pip', '--disable-pip-version-check', '--no-input')
    Invoke-Checked $VenvPython ($pip + @('install', '--quiet', '--upgrade', 'pip'))
    Write-Step 'installing the project with its [package] and [dev] extras'
    Invoke-Checked $VenvPython ($pip + @('install', '--quiet', '--editable', "$Root[package,dev]"))
}

function Build-Translations {
    $lrelease = Join-Path $Venv 'Scripts\pyside6-lrelease.exe'
    $out = Join-Path $Root 'ui\i18n'
    New-Item -ItemType Directory -Force -Path $out | Out-Null
    foreach ($ts in Get-ChildItem (Join-Path $Root 'resources\i18n\*.ts')) {
        Invoke-Checked $lrelease @('-silent', $ts.FullName, '-qm', (Join-Path $out "$($ts.BaseName).qm"))
    }
}

function Build-SongSubset {
    $subset = Join-Path $Root 'resources\fonts\song-gb2312.ttf'
    if ($NoSongSubset) {
        Write-Step 'no Song subset (-NoSongSubset): vouchers use the counter''s SimSun'
        Remove-Item -Force -ErrorAction SilentlyContinue $subset
        return
    }
    $font = if ($SongFont) { $SongFont } else { Join-Path $Root 'build\fonts\uming.ttc' }
    $license = if ($SongLicense) { $SongLicense } else { Join-Path $Root 'build\fonts\copyright' }
    foreach ($needed in @($font, $license)) {
        if (-not (Test-Path $needed)) {
            throw ("$needed is missing. Copy /usr/share/fonts/truetype/arphic/uming.ttc and " +
                '/usr/share/doc/fonts-arphic-uming/copyright from a Debian machine with ' +
                'fonts-arphic-uming into build\fonts\ (or pass -SongFont and -SongLicense), ' +
                'or build without the Song subset with -NoSongSubset')
        }
    }
    Write-Step "cutting the Song face down to GB 2312 from $font"
    Invoke-Checked $VenvPython @((Join-Path $Root 'installer\song_subset.py'), $font, $subset)
    return $license
}

function Invoke-PyInstaller([string] $SongLicenseFile) {
    Write-Step 'freezing with installer\medins-desk.spec'
    Invoke-Checked $VenvPython @('-m', 'PyInstaller', '--noconfirm', '--clean',
        '--distpath', $Dist, '--workpath', (Join-Path $Root 'build\pyinstaller'),
        (Join-Path $Root 'installer\medins-desk.spec'))
    if (-not (Test-Path (Join-Path $Bundle 'medins-desk.exe'))) {
        throw "PyInstaller made no $Bundle\medins-desk.exe: the spec's output name is not medins-desk"
    }
    # The shortcuts' program (installer\windows\medins-desk.iss, GuiExe).
    if (-not (Test-Path (Join-Path $Bundle 'medins-desk-gui.exe'))) {
        throw "PyInstaller made no $Bundle\medins-desk-gui.exe: the spec's Windows branch did not run"
    }
    if ($SongLicenseFile) {
        $licenses = Join-Path $Bundle 'licenses'
        New-Item -ItemType Directory -Force -Path $licenses | Out-Null
        Copy-Item -Force $SongLicenseFile (Join-Path $licenses 'fonts-arphic-uming.txt')
    }
}

# The frozen program on its own: its version, and the store's migrations on a throwaway SQLite
# file, with folders of its own (never the build user's settings or data).
function Test-Bundle([string] $Version) {
    Write-Step 'smoke test of the frozen program'
    $exe = Join-Path $Bundle 'medins-desk.exe'
    $scratch = Join-Path ([System.IO.Path]::GetTempPath()) ("medins-desk-smoke-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $scratch | Out-Null
    $saved = @{}
    $variables = @{
        MEDINS_DATA_DIR = (Join-Path $scratch 'data')
        MEDINS_CONFIG_DIR = (Join-Path $scratch 'config')
        MEDINS_LOG_DIR = (Join-Path $scratch 'log')
        MEDINS_SYSTEM_CONFIG = (Join-Path $scratch 'system-settings.toml')
    }
    try {
        foreach ($name in $variables.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $variables[$name])
        }
        $said = (& $exe --version | Out-String)
        if ($LASTEXITCODE -ne 0 -or $said -notmatch [regex]::Escape($Version)) {
            throw "medins-desk.exe --version said '$($said.Trim())' (exit $LASTEXITCODE), not $Version"
        }
        $db = 'sqlite+pysqlite:///' + (Join-Path $scratch 'smoke.db').Replace('\', '/')
        Invoke-Checked $exe @('--db', $db, 'db', 'upgrade')
        Invoke-Checked $exe @('--db', $db, 'status')
    }
    finally {
        foreach ($name in $variables.Keys) {
            [Environment]::SetEnvironmentVariable($name, $saved[$name])
        }
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $scratch
    }
}

function Find-InnoSetup {
    if ($InnoSetup) { return $InnoSetup }
    $keys = @(
        'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\Inno Setup 6_is1',
        'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\Inno Setup 6_is1',
        'HKCU:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\Inno Setup 6_is1'
    )
    foreach ($key in $keys) {
        $entry = Get-ItemProperty -Path $key -ErrorAction SilentlyContinue
        if ($entry -and $entry.PSObject.Properties['InstallLocation']) {
            return $entry.InstallLocation
        }
    }
    throw 'Inno Setup 6 is not installed (jrsoftware.org/isdl.php), or pass -InnoSetup C:\path\to\it'
}

# The file version Windows shows: four numbers from the package's version (0.2.0.dev3 -> 0.2.0.0).
function Get-FileVersion([string] $Version) {
    if ($Version -notmatch '^(\d+)\.(\d+)(?:\.(\d+))?') {
        throw "The package version $Version does not start with numbers"
    }
    $patch = if ($Matches[3]) { $Matches[3] } else { '0' }
    return "$($Matches[1]).$($Matches[2]).$patch.0"
}

function Build-Installer([string] $Version) {
    $inno = Find-InnoSetup
    $iscc = Join-Path $inno 'ISCC.exe'
    if (-not (Test-Path $iscc)) { throw "No ISCC.exe in $inno" }
    $isl = if ($ChineseIsl) { $ChineseIsl } else { Join-Path $inno 'Languages\ChineseSimplified.isl' }
    if (-not (Test-Path $isl)) {
        throw ("$isl is missing: Inno Setup 6 does not ship Simplified Chinese. Download " +
            'ChineseSimplified.isl for your Inno Setup version from jrsoftware.org/files/istrans/ ' +
            "(maintained at github.com/kira-96/Inno-Setup-Chinese-Simplified-Translation) into " +
            "$inno\Languages, or pass -ChineseIsl")
    }
    Write-Step "compiling the installer of medins-desk $Version"
    Invoke-Checked $iscc @('/Qp', "/DAppVersion=$Version", "/DFileVersion=$(Get-FileVersion $Version)",
        "/DDistDir=$Bundle", "/DOutputDir=$Dist", "/DChineseIsl=$isl",
        (Join-Path $PSScriptRoot 'medins-desk.iss'))
    $setup = Join-Path $Dist "medins-desk-$Version-setup.exe"
    $hash = (Get-FileHash -Algorithm SHA256 $setup).Hash.ToLowerInvariant()
    Write-Step "$setup"
    Write-Step "SHA-256 $hash"
}

Push-Location $Root
try {
    New-BuildVenv
    $version = (& $VenvPython -c 'from importlib.metadata import version; print(version(''medins-desk''))').Trim()
    if ($LASTEXITCODE -ne 0) { throw 'The installed package has no version' }
    Build-Translations
    $license = Build-SongSubset
    Invoke-PyInstaller $license
    Test-Bundle $version
    Build-Installer $version
}
finally {
    Pop-Location
}
