@echo off
rem The `lanyard` command of a packaged Lanyard on Windows: the app's Electron runs the CLI as Node.
setlocal
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\..\Lanyard.exe" "%~dp0..\..\app.asar\out\cli.js" %*
endlocal
