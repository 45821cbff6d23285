; medins-desk for Windows counters (医保经办柜面): the Inno Setup 6 script of the installer.
;
; Built by installer\windows\build.ps1, which passes the defines below; by hand:
;
;   ISCC.exe /DAppVersion=0.1.0 installer\windows\medins-desk.iss
;
; What it packages: the PyInstaller onedir output of installer\medins-desk.spec, assumed to be
; dist\medins-desk\ with medins-desk.exe (the console program, for IT's commands) and
; medins-desk-gui.exe (the same program without a console window: the shortcuts') in it, their
; libraries in dist\medins-desk\_internal\ (PyInstaller 6's layout). Either, run without a command,
; opens the counter application.
;
; Defines (ISCC /Dname=value):
;   AppVersion   required: the package's version (build.ps1 reads it from the package metadata)
;   FileVersion  the Windows file version, four numbers (default: AppVersion.0)
;   DistDir      the onedir output (default ..\..\dist\medins-desk, beside this script's repo root)
;   OutputDir    where the setup program goes (default ..\..\dist)
;   ChineseIsl   the Simplified Chinese messages (default compiler:Languages\ChineseSimplified.isl)
;
; The Chinese messages: Inno Setup 6 ships English and a set of official translations, and
; Simplified Chinese is not among them. ChineseSimplified.isl is the unofficial translation
; maintained by Zhenghan Yang (Kira) at github.com/kira-96/Inno-Setup-Chinese-Simplified-Translation
; and listed at jrsoftware.org/files/istrans/; copy the file that matches the Inno Setup version
; into Inno Setup's Languages folder, or pass /DChineseIsl=path (build.ps1 -ChineseIsl).
;
; Needs Inno Setup 6.3 or later (x64compatible; UTF-8 scripts without a BOM).
;
; The installer: per machine into Program Files\medins-desk (administrators), a Start menu shortcut
; 医保经办柜面 (Medical Insurance Counter), a desktop one if asked; the Smart Card service
; (SCardSvr) set to start automatically; a wizard page for the hall's database URL, hall code and
; counter number, written to %PROGRAMDATA%\medins-desk\settings.toml (the system settings every
; user of the machine reads before their own: README "Where data lives") only when filled in and
; only when no such file exists. Silent installs take the same values from /DBURL=, /HALLCODE=
; and /COUNTERNO=. Uninstalling removes the program and keeps every user's data and the hall's
; settings.

#ifndef AppVersion
  #error AppVersion is not defined: build with installer\windows\build.ps1, or ISCC /DAppVersion=x.y.z
#endif
#ifndef FileVersion
  #define FileVersion AppVersion + ".0"
#endif
#ifndef DistDir
  #define DistDir "..\..\dist\medins-desk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef ChineseIsl
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#endif
; What a clerk starts: no console window behind the counter's.
#define GuiExe "medins-desk-gui.exe"

[Setup]
; One id for every release: a new version installs over the old one.
AppId={{0E3BE78A-3695-4219-9949-CD9C465874BF}
AppName=medins-desk
AppVersion={#AppVersion}
AppPublisher=medins-desk developers
VersionInfoVersion={#FileVersion}
VersionInfoDescription=medins-desk setup
DefaultDirName={autopf}\medins-desk
DisableDirPage=yes
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Windows 10 1809: what Qt 6 supports, and the first with per-user fonts.
MinVersion=10.0.17763
WizardStyle=modern
ShowLanguageDialog=auto
LanguageDetectionMethod=uilanguage
OutputDir={#OutputDir}
OutputBaseFilename=medins-desk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
UninstallDisplayIcon={app}\{#GuiExe}
; A counter left open is closed (Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
; Chinese first: a counter whose Windows speaks neither language gets the Chinese pages.
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.ShortcutName=医保经办柜面
english.ShortcutName=Medical Insurance Counter
chinesesimplified.ShortcutComment=社保/医保经办服务大厅柜面系统
english.ShortcutComment=Counter application of social-security and medical-insurance service halls
chinesesimplified.LaunchCounter=启动医保经办柜面
english.LaunchCounter=Start the Medical Insurance Counter
chinesesimplified.HallPageCaption=大厅设置
english.HallPageCaption=Hall settings
chinesesimplified.HallPageDescription=本机所有用户共用的大厅设置（可不填）
english.HallPageDescription=The hall's settings for every user of this computer (optional)
chinesesimplified.HallPageSubCaption=由信息科填写。填写的项写入 %1，本机每个用户的设置都不能更改这些项；全部留空则不写入，各窗口在程序的“设置”中自行设置。单个窗口使用内置数据库时数据库地址留空。
english.HallPageSubCaption=For the hall's IT. What you fill in is written to %1, and no user's own settings on this computer can change it; leave everything empty to write nothing and set each counter in the program's settings. Leave the database URL empty for a counter on its own built-in database.
chinesesimplified.HallDatabaseUrl=数据库地址（如 postgresql+psycopg://medins_app:密码@服务器:5432/medins）：
english.HallDatabaseUrl=Database URL (e.g. postgresql+psycopg://medins_app:password@server:5432/medins):
chinesesimplified.HallCode=大厅编码（6 位数字）：
english.HallCode=Hall code (6 digits):
chinesesimplified.HallCounterNo=窗口号（3 位数字）：
english.HallCounterNo=Counter number (3 digits):
chinesesimplified.HallCodeInvalid=大厅编码应为 6 位数字。
english.HallCodeInvalid=The hall code has 6 digits.
chinesesimplified.HallCounterNoInvalid=窗口号应为 3 位数字，如 001。
english.HallCounterNoInvalid=The counter number has 3 digits, e.g. 001.
chinesesimplified.HallDatabaseUrlInvalid=数据库地址应形如 postgresql+psycopg://账号:密码@服务器:5432/数据库。
english.HallDatabaseUrlInvalid=A database URL looks like postgresql+psycopg://user:password@server:5432/database.
chinesesimplified.HallSettingsFailed=无法写入大厅设置文件 %1。请以管理员身份手工创建该文件（README“Where data lives”）。
english.HallSettingsFailed=The hall's settings file %1 could not be written. Create it by hand as an administrator (README "Where data lives").
chinesesimplified.ReadyHall=大厅设置：
english.ReadyHall=Hall settings:
chinesesimplified.ReadyHallWritten=写入 %1
english.ReadyHallWritten=written to %1
chinesesimplified.ReadyHallKept=保留已有的 %1（不作修改）
english.ReadyHallKept=the existing %1 is kept unchanged
chinesesimplified.ReadyHallNone=不写入（各窗口在程序中设置）
english.ReadyHallNone=none written (each counter is set in the program)
chinesesimplified.ReadySmartCard=读卡器：智能卡服务（SCardSvr）设为自动启动
english.ReadySmartCard=Card reader: the Smart Card service (SCardSvr) starts automatically
chinesesimplified.SmartCardMissing=本机没有智能卡服务（SCardSvr），社会保障卡读卡器将无法使用。
english.SmartCardMissing=This computer has no Smart Card service (SCardSvr): the social security card reader cannot be used.
chinesesimplified.SmartCardNotAutomatic=未能把智能卡服务（SCardSvr）设为自动启动。请以管理员身份运行：sc config SCardSvr start= auto
english.SmartCardNotAutomatic=The Smart Card service (SCardSvr) could not be set to start automatically. As an administrator, run: sc config SCardSvr start= auto
chinesesimplified.DataKept=程序已卸载。参保人业务数据未删除：每个 Windows 用户的 %%LOCALAPPDATA%%\medins-desk（数据库、凭证存档、备份、日志和本人设置），以及大厅设置 %1。确认不再需要后可由管理员手工删除。
english.DataKept=The program is removed. The citizens' data is kept: each Windows user's %%LOCALAPPDATA%%\medins-desk (the database, archived vouchers, backups, logs and own settings), and the hall's settings in %1. An administrator may delete them by hand once they are no longer needed.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; The previous release's libraries: a module it had and this one does not must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Dirs]
; The hall's settings folder stays when the program goes (see CurUninstallStepChanged).
Name: "{commonappdata}\medins-desk"; Flags: uninsneveruninstall

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{cm:ShortcutName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "{cm:ShortcutComment}"
Name: "{autodesktop}\{cm:ShortcutName}"; Filename: "{app}\{#GuiExe}"; WorkingDir: "{app}"; Comment: "{cm:ShortcutComment}"; Tasks: desktopicon

[Run]
; As the user who started the setup, not as the administrator it elevated to: the counter's
; database and settings are that user's.
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchCounter}"; Flags: nowait postinstall skipifsilent runasoriginaluser

[Code]
const
  SmartCardKey = 'SYSTEM\CurrentControlSet\Services\SCardSvr';
  ServiceAutoStart = 2;
  SidSystem = '*S-1-5-18';
  SidAdministrators = '*S-1-5-32-544';
  SidUsers = '*S-1-5-32-545';

var
  HallPage: TInputQueryWizardPage;

function HallSettingsFile: String;
begin
  Result := ExpandConstant('{commonappdata}\medins-desk\settings.toml');
end;

function HallDatabaseUrl: String;
begin
  Result := Trim(HallPage.Values[0]);
end;

function HallCode: String;
begin
  Result := Trim(HallPage.Values[1]);
end;

function HallCounterNo: String;
begin
  Result := Trim(HallPage.Values[2]);
end;

function HallSettingsGiven: Boolean;
begin
  Result := (HallDatabaseUrl <> '') or (HallCode <> '') or (HallCounterNo <> '');
end;

function IsDigits(const S: String; const Count: Integer): Boolean;
var
  I: Integer;
begin
  Result := Length(S) = Count;
  for I := 1 to Length(S) do
    if (S[I] < '0') or (S[I] > '9') then
      Result := False;
end;

{ The same rules the program applies to its settings (medins_desk/settings.py): a file the
  program would refuse at start is never written. }
function HallSettingsError: String;
begin
  Result := '';
  if (HallDatabaseUrl <> '') and (Pos('://', HallDatabaseUrl) = 0) then
    Result := CustomMessage('HallDatabaseUrlInvalid')
  else if (HallCode <> '') and not IsDigits(HallCode, 6) then
    Result := CustomMessage('HallCodeInvalid')
  else if (HallCounterNo <> '') and not IsDigits(HallCounterNo, 3) then
    Result := CustomMessage('HallCounterNoInvalid');
end;

procedure InitializeWizard;
begin
  HallPage := CreateInputQueryPage(wpSelectTasks,
    CustomMessage('HallPageCaption'), CustomMessage('HallPageDescription'),
    FmtMessage(CustomMessage('HallPageSubCaption'), [HallSettingsFile]));
  HallPage.Add(CustomMessage('HallDatabaseUrl'), False);
  HallPage.Add(CustomMessage('HallCode'), False);
  HallPage.Add(CustomMessage('HallCounterNo'), False);
  { IT's silent deployment: setup.exe /VERYSILENT /DBURL=... /HALLCODE=110105 /COUNTERNO=003 }
  HallPage.Values[0] := ExpandConstant('{param:DBURL|}');
  HallPage.Values[1] := ExpandConstant('{param:HALLCODE|}');
  HallPage.Values[2] := ExpandConstant('{param:COUNTERNO|}');
end;

{ A hall whose settings are already on this machine keeps them: the page is not offered, and
  the ready page says so. }
function ShouldSkipPage(PageID: Integer): Boolean;
begin
  Result := (PageID = HallPage.ID) and FileExists(HallSettingsFile);
end;

function NextButtonClick(CurPageID: Integer): Boolean;
var
  Error: String;
begin
  Result := True;
  if CurPageID = HallPage.ID then
  begin
    Error := HallSettingsError;
    if Error <> '' then
    begin
      MsgBox(Error, mbError, MB_OK);
      Result := False;
    end;
  end;
end;

{ A silent install with a bad value stops here, before anything is installed. }
function PrepareToInstall(var NeedsRestart: Boolean): String;
begin
  Result := '';
  if HallSettingsGiven and not FileExists(HallSettingsFile) then
    Result := HallSettingsError;
end;

function HallSettingsSummary: String;
begin
  if FileExists(HallSettingsFile) then
    Result := FmtMessage(CustomMessage('ReadyHallKept'), [HallSettingsFile])
  else if HallSettingsGiven then
    Result := FmtMessage(CustomMessage('ReadyHallWritten'), [HallSettingsFile])
  else
    Result := CustomMessage('ReadyHallNone');
end;

function UpdateReadyMemo(Space, NewLine, MemoUserInfoInfo, MemoDirInfo, MemoTypeInfo,
  MemoComponentsInfo, MemoGroupInfo, MemoTasksInfo: String): String;
begin
  Result := MemoDirInfo;
  if MemoTasksInfo <> '' then
    Result := Result + NewLine + NewLine + MemoTasksInfo;
  Result := Result + NewLine + NewLine + CustomMessage('ReadyHall') + NewLine + Space
    + HallSettingsSummary + NewLine + NewLine + CustomMessage('ReadySmartCard');
end;

{ A TOML basic string: the URL's password may hold a quote or a backslash. }
function TomlString(const S: String): String;
var
  Escaped: String;
begin
  Escaped := S;
  StringChangeEx(Escaped, '\', '\\', True);
  StringChangeEx(Escaped, '"', '\"', True);
  Result := '"' + Escaped + '"';
end;

procedure AddLine(var Lines: TArrayOfString; const Line: String);
begin
  SetArrayLength(Lines, GetArrayLength(Lines) + 1);
  Lines[GetArrayLength(Lines) - 1] := Line;
end;

{ Every user reads the hall's settings, only administrators change them: ProgramData lets any
  user add files to the folders in it, and a file a clerk put there would be every user's. }
procedure ProtectHallSettingsFolder;
var
  ResultCode: Integer;
  Folder: String;
begin
  Folder := ExtractFileDir(HallSettingsFile);
  if not Exec(ExpandConstant('{sys}\icacls.exe'),
    AddQuotes(Folder) + ' /inheritance:r'
      + ' /grant:r ' + SidSystem + ':(OI)(CI)F'
      + ' /grant:r ' + SidAdministrators + ':(OI)(CI)F'
      + ' /grant:r ' + SidUsers + ':(OI)(CI)RX',
    '', SW_HIDE, ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
    Log(Format('icacls on %s failed (exit %d): the folder keeps ProgramData''s permissions',
      [Folder, ResultCode]));
end;

{ settings.toml of the hall, from the wizard page: only what was filled in, each such key
  locked, and never over an existing file. }
procedure WriteHallSettings;
var
  Lines: TArrayOfString;
  Locked: String;
begin
  if FileExists(HallSettingsFile) then
  begin
    Log('Keeping the existing hall settings ' + HallSettingsFile);
    Exit;
  end;
  if not HallSettingsGiven then
  begin
    Log('No hall settings given: none written');
    Exit;
  end;
  Locked := '';
  if HallDatabaseUrl <> '' then
    Locked := Locked + ', "database_url"';
  if HallCode <> '' then
    Locked := Locked + ', "hall_code"';
  if HallCounterNo <> '' then
    Locked := Locked + ', "counter_no"';
  Delete(Locked, 1, 2);
  AddLine(Lines, '# medins-desk: the hall''s settings for every user of this computer, read before');
  AddLine(Lines, '# each user''s own settings.toml. Written by the installer on '
    + GetDateTimeString('yyyy/mm/dd', '-', ':') + '; edit it as an administrator.');
  AddLine(Lines, '# The keys in "locked" cannot be changed by a user''s own settings.');
  AddLine(Lines, 'locked = [' + Locked + ']');
  if HallDatabaseUrl <> '' then
    AddLine(Lines, 'database_url = ' + TomlString(HallDatabaseUrl));
  if HallCode <> '' then
    AddLine(Lines, 'hall_code = ' + TomlString(HallCode));
  if HallCounterNo <> '' then
    AddLine(Lines, 'counter_no = ' + TomlString(HallCounterNo));
  { The counters of a shared PostgreSQL leave the schema to IT's `medins-desk db upgrade`. }
  if Pos('postgresql', Lowercase(HallDatabaseUrl)) = 1 then
    AddLine(Lines, 'upgrade_on_start = false');
  ForceDirectories(ExtractFileDir(HallSettingsFile));
  if SaveStringsToUTF8FileWithoutBOM(HallSettingsFile, Lines, False) then
    Log('Wrote the hall settings ' + HallSettingsFile)
  else
    SuppressibleMsgBox(FmtMessage(CustomMessage('HallSettingsFailed'), [HallSettingsFile]),
      mbError, MB_OK, IDOK);
end;

{ The card reader works through the Smart Card service, which Windows starts only when a reader
  arrives (trigger start): set it to start with Windows, and start it now. }
procedure StartSmartCardServiceAutomatically;
var
  StartType: Cardinal;
  ResultCode: Integer;
begin
  if not RegQueryDWordValue(HKLM, SmartCardKey, 'Start', StartType) then
  begin
    Log('No Smart Card service (SCardSvr) on this computer');
    SuppressibleMsgBox(CustomMessage('SmartCardMissing'), mbError, MB_OK, IDOK);
    Exit;
  end;
  if StartType <> ServiceAutoStart then
  begin
    Exec(ExpandConstant('{sys}\sc.exe'), 'config SCardSvr start= auto', '', SW_HIDE,
      ewWaitUntilTerminated, ResultCode);
    Log(Format('sc config SCardSvr start= auto: exit %d (start type was %d)',
      [ResultCode, StartType]));
  end;
  { Exit 1056 says it runs already. }
  Exec(ExpandConstant('{sys}\sc.exe'), 'start SCardSvr', '', SW_HIDE, ewWaitUntilTerminated,
    ResultCode);
  Log(Format('sc start SCardSvr: exit %d', [ResultCode]));
  if not RegQueryDWordValue(HKLM, SmartCardKey, 'Start', StartType)
    or (StartType <> ServiceAutoStart) then
    SuppressibleMsgBox(CustomMessage('SmartCardNotAutomatic'), mbError, MB_OK, IDOK);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if CurStep = ssPostInstall then
  begin
    ProtectHallSettingsFolder;
    WriteHallSettings;
    StartSmartCardServiceAutomatically;
  end;
end;

{ Uninstalling removes the program only: the citizens' data and the hall's settings stay. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{commonappdata}\medins-desk')]),
      mbInformation, MB_OK);
end;
