; Inno Setup 6 script: installs the PyInstaller folder built on Windows
; (`pyinstaller --noconfirm --distpath dist packaging\csto-editor.spec` in the project
; venv, with the .qm compiled) as "CSTO Editor", per user or for all users.
; Build: iscc packaging\windows\csto-editor.iss   ->   dist\csto-editor-0.1.0-setup.exe

#define AppName "CSTO Editor"
#define AppNameRu "Редактор ОДКБ"
#define AppVersion "0.1.0"
#define AppExe "csto-editor.exe"
#define Root "..\.."

[Setup]
AppId={{6E0B7E2C-3F4A-4C1E-9D0B-5A6C2F1D8E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=CSTO Editor developers
AppPublisherURL=https://odkb-csto.org/
DefaultDirName={autopf}\CSTO Editor
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Root}\dist
OutputBaseFilename=csto-editor-{#AppVersion}-setup
SetupIconFile={#Root}\packaging\icons\csto-editor.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto

[Languages]
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
russian.AppTitle={#AppNameRu}
english.AppTitle={#AppName}
russian.CreateDesktopIcon=Создать значок на рабочем столе
english.CreateDesktopIcon=Create a desktop shortcut

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Files]
; The whole one-folder build: the executable, _internal\ with Qt, QtWebEngine,
; resources\ (templates, CSS, translations, icon) and the Alembic migrations.
Source: "{#Root}\dist\csto-editor\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Parameters: "gui"
Name: "{autodesktop}\{cm:AppTitle}"; Filename: "{app}\{#AppExe}"; Parameters: "gui"; Tasks: desktopicon

[Run]
; The first start creates the database in the user's data folder; the demo content
; is added only when the database has no items yet.
Filename: "{app}\{#AppExe}"; Parameters: "init --demo-if-empty"; Flags: runhidden; StatusMsg: "{cm:AppTitle}…"
Filename: "{app}\{#AppExe}"; Parameters: "gui"; Description: "{cm:LaunchProgram,{cm:AppTitle}}"; Flags: nowait postinstall skipifsilent

; The user's database, backups and settings stay on uninstall: they are the office's work.
