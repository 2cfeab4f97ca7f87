@echo off
rem KnetJ's one command on Windows, as ./knetj on Linux and macOS: builds what is missing with Maven, then runs
rem   knetj test        the whole test suite and every artifact (mvn verify)
rem   knetj shell       JShell with KnetJ on the class path (the classroom)
rem   knetj <command>   the CLI: train, backends, gradcheck, bench, help
rem Needs JAVA_HOME pointing to a JDK 21 or newer and mvn on the PATH.
setlocal EnableDelayedExpansion
set "ROOT=%~dp0"
cd /d "%ROOT%"
if "%JAVA_HOME%"=="" (
  echo knetj: set JAVA_HOME to a JDK 21 or newer ^(the Vector API^) 1>&2
  exit /b 2
)
rem The same JVM flags as ./knetj: the Vector API module, native access for OpenCL/CUDA, and the JIT flags that keep
rem C2 from compiling the matrix kernel from too thin or too mixed a profile (README, "Every JVM that runs KnetJ").
set "FLAGS=--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:Tier3DelayOn=100000 -XX:TypeProfileMajorReceiverPercent=100 -XX:-UseBimorphicInlining"
set "CMD=%~1"
if "%CMD%"=="" set "CMD=help"

if /i "%CMD%"=="test" (
  call mvn -B verify
  exit /b !ERRORLEVEL!
)

if not exist "examples\target\lib\.knetj-built" (
  echo knetj: building KnetJ with Maven ^(first run^)... 1>&2
  call mvn -B -q -DskipTests -Dmaven.source.skip=true -Dmaven.javadoc.skip=true -Dinvoker.skip=true install
  if errorlevel 1 exit /b 1
  type nul > "examples\target\lib\.knetj-built"
)

if /i "%CMD%"=="shell" (
  rem jshell does not expand lib\* itself: list the jars.
  set "CP=examples\target\classes"
  for %%j in (examples\target\lib\*.jar) do set "CP=!CP!;%%j"
  rem Spelled out: a for loop would split the flags at their = signs.
  set "JFLAGS=-J--add-modules -Jjdk.incubator.vector -J--enable-native-access=ALL-UNNAMED -J-XX:Tier3DelayOn=100000 -J-XX:TypeProfileMajorReceiverPercent=100 -J-XX:-UseBimorphicInlining"
  rem As scripts/shell.sh does, less its AOT cache: the greeting, then float64 as a property (see shell.sh).
  type scripts\knetj-greeting.txt
  "%JAVA_HOME%\bin\jshell" -q --execution local --class-path "!CP!" !JFLAGS! -J-Djava.awt.headless=true -J-Dknetj.dtype=float64 --startup DEFAULT --startup scripts\knetj-startup.jsh
  exit /b !ERRORLEVEL!
)

"%JAVA_HOME%\bin\java" %FLAGS% -Djava.awt.headless=true -cp "examples\target\classes;examples\target\lib\*" io.github.knetj.examples.Main %*
exit /b %ERRORLEVEL%
