; StatDesk's Windows installer (NSIS 3): a per-user install that never asks for admin rights.
;
; Built by installers/build.py --installer, which passes the version and the paths:
;   makensis -DVERSION=0.1.0 -DBUNDLE=...\dist\StatDesk -DICON=...\build\statdesk.ico
;            -DOUTFILE=...\dist\StatDesk-0.1.0-setup.exe installers\statdesk.nsi
; Compile-time paths use '/', which makensis takes on Windows and Linux alike.
; -DFAST stores the files uncompressed (CI's check on Linux, where only compiling matters).
;
; What it does, all under the user's own profile and HKEY_CURRENT_USER:
;   - copies the PyInstaller bundle to %LOCALAPPDATA%\Programs\StatDesk (or the folder the
;     user picks); an upgrade goes into the folder of the version installed before, and first
;     removes that version's program files, so nothing of it lingers;
;   - a Start-menu shortcut; .statdesk files open with StatDesk (icon, "Open with StatDesk");
;   - an entry in Settings > Apps (Add or remove programs) with its uninstaller.
; The uninstaller removes exactly those, and never the user's data: .statdesk files and their
; backups\ folders wherever they are, nor %LOCALAPPDATA%\StatDesk (the demo city, window
; settings, logs).

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef VERSION
  !error "Give the version: makensis -DVERSION=x.y.z (installers/build.py does)."
!endif
!define /ifndef ROOT "${__FILEDIR__}/.."
!define /ifndef BUNDLE "${ROOT}/dist/StatDesk"
!define /ifndef ICON "${ROOT}/build/statdesk.ico"
!define /ifndef OUTFILE "${ROOT}/dist/StatDesk-${VERSION}-setup.exe"
!define /ifndef APP_EXE "StatDesk.exe"
!define /ifndef CLI_EXE "statdesk-cli.exe"

!define APP "StatDesk"
!define PROGID "StatDesk.File"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\StatDesk"
!define UNINSTALLER "Uninstall StatDesk.exe"
; Held by a running StatDesk (statdesk/ui/single_instance.py, RUNNING_MUTEX).
!define RUNNING_MUTEX "Local\StatDesk.Running"

; The files the registry and the shortcut point at must be in the payload: fail here, at
; compile time, rather than on an analyst's laptop.
!if ! /FileExists "${BUNDLE}/${APP_EXE}"
  !error "${BUNDLE}/${APP_EXE} is missing: build the bundle first (installers/build.py)."
!endif
!if ! /FileExists "${BUNDLE}/${CLI_EXE}"
  !error "${BUNDLE}/${CLI_EXE} is missing: build the bundle first (installers/build.py)."
!endif
!if ! /FileExists "${BUNDLE}/_internal/resources/icons/statdesk.svg"
  !error "The bundle has no resources folder: the spec's datas are wrong."
!endif
!if ! /FileExists "${ICON}"
  !error "${ICON} is missing: python installers/icon.py makes it."
!endif

!ifdef FAST
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "Integration.nsh"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
; An upgrade installs where the older version is.
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} ${VERSION} setup"
VIAddVersionKey "CompanyName" "StatDesk contributors"
VIAddVersionKey "LegalCopyright" "MIT License"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Open ${APP} now"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${ROOT}/LICENSE"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; Files in use cannot be replaced on Windows: ask the user to close StatDesk first. Every edit
; in StatDesk is saved as it is made, so closing it loses nothing.
!macro WaitUntilClosed
  ${Do}
    System::Call 'kernel32::OpenMutexW(i 0x00100000, i 0, w "${RUNNING_MUTEX}") p .r0'
    ${If} $0 == 0
      ${Break}
    ${EndIf}
    System::Call 'kernel32::CloseHandle(p r0)'
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
      "StatDesk is open. Close it (your work is already saved), then choose Retry." \
      /SD IDCANCEL IDRETRY retry
    Abort
    retry:
  ${Loop}
!macroend

Function .onInit
  SetShellVarContext current
  !insertmacro WaitUntilClosed
FunctionEnd

Function un.onInit
  SetShellVarContext current
  !insertmacro WaitUntilClosed
FunctionEnd

Section "StatDesk" SecApp
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program files whole: a library the older version had and this one
  ; does not must not be loaded by mistake. Only our own folder, and only where we installed.
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  File /r "${BUNDLE}/*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  ; .statdesk files: per user, in HKCU\Software\Classes.
  WriteRegStr HKCU "Software\Classes\.statdesk" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\.statdesk\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "StatDesk file"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" '"$INSTDIR\${APP_EXE}",0'
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell" "" "open"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open" "" "Open with StatDesk"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" \
    '"$INSTDIR\${APP_EXE}" "%1"'
  WriteRegStr HKCU "Software\Classes\Applications\${APP_EXE}" "FriendlyAppName" "${APP}"
  WriteRegStr HKCU "Software\Classes\Applications\${APP_EXE}\SupportedTypes" ".statdesk" ""
  WriteRegStr HKCU "Software\Classes\Applications\${APP_EXE}\shell\open\command" "" \
    '"$INSTDIR\${APP_EXE}" "%1"'

  ; Settings > Apps.
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "StatDesk contributors"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" '"$INSTDIR\${APP_EXE}",0'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"

  ${NotifyShell_AssocChanged}
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR" ; only when empty: anything else the user put there stays

  ; The association, where it is still ours.
  ReadRegStr $0 HKCU "Software\Classes\.statdesk" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue HKCU "Software\Classes\.statdesk" ""
  ${EndIf}
  DeleteRegValue HKCU "Software\Classes\.statdesk\OpenWithProgids" "${PROGID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\.statdesk\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "Software\Classes\.statdesk"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Classes\Applications\${APP_EXE}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  ${NotifyShell_AssocChanged}
  ; Deliberately left: %LOCALAPPDATA%\StatDesk (demo city, settings, logs) and every
  ; .statdesk file with its backups.
SectionEnd
