#!/usr/bin/env bash
# Observability (issue 13): -log_view events per type and phase, PetscInfo messages under -info :snapshot (and only
# ours), the -snapshot_monitor lines. Runs the examples: heat_retry (memory) at 2 ranks; checkpoint_restart (hdf5:
# numbered files, the last 2 kept) written at 2 ranks and restarted at 3 (mesh redistributed, particles placed).
# Usage: observe.sh <examples dir> <mpiexec>. Prints "N passed, M failed".
set -u
ex=$1 mpiexec=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0
has() { # name file extended-regex: the file has a line matching
  if grep -qE "$3" "$2"; then echo "ok: $1"; passed=$((passed + 1)); else echo "FAIL: $1 (no line matching: $3)"; failed=$((failed + 1)); fi
}
hasnot() {
  if ! grep -qE "$3" "$2"; then echo "ok: $1"; passed=$((passed + 1)); else echo "FAIL: $1 (a line matches: $3)"; grep -E "$3" "$2" | head -3; failed=$((failed + 1)); fi
}
"$mpiexec" -n 2 --oversubscribe "$ex/heat_retry" -steps 2 -log_view -info :snapshot -snapshot_monitor > mem.txt 2>&1 || echo "FAIL: heat_retry exited with $?"
"$mpiexec" -n 2 --oversubscribe "$ex/checkpoint_restart" -mode run -steps 7 -every 2 -log_view -info :snapshot -snapshot_monitor > run.txt 2>&1 || echo "FAIL: checkpoint run exited with $?"
"$mpiexec" -n 3 --oversubscribe "$ex/checkpoint_restart" -mode restart -log_view -info :snapshot -snapshot_monitor > restart.txt 2>&1 || echo "FAIL: restart exited with $?"
"$mpiexec" -n 2 --oversubscribe "$ex/heat_retry" -steps 1 -info :~snapshot > excluded.txt 2>&1 || echo "FAIL: heat_retry exited with $?"

ev='^%s +[0-9]+ +[0-9.]+ +[0-9.e+-]+'
for e in SnapMemCapture SnapMemRestore SnapCheck; do has "memory: -log_view shows $e" mem.txt "$(printf "$ev" $e)"; done
hasnot "memory: no hdf5 event in -log_view" mem.txt '^SnapH5'
for e in SnapH5Capture SnapH5Write; do has "hdf5 run: -log_view shows $e" run.txt "$(printf "$ev" $e)"; done
hasnot "hdf5 run: no memory event in -log_view" run.txt '^SnapMem'
for e in SnapH5Restore SnapCheck SnapH5Read SnapH5Verify SnapH5Redist SnapPlaceParts; do has "hdf5 restart on 3 ranks: -log_view shows $e" restart.txt "$(printf "$ev" $e)"; done

num='[0-9]+ bytes on this rank in [0-9.]+ s \([0-9.e+-]+ GB/s\)'
has "info: every memory capture (number, type, DM, bytes, seconds, GB/s)" mem.txt "<snapshot[^>]*> .*capture [0-9]+ \(memory\) of DM \"mesh\" \(1 DM\): $num"
has "info: every memory restore" mem.txt "<snapshot[^>]*> .*restore [0-9]+ \(memory\) of DM \"mesh\" \(1 DM\): $num"
has "info: a file written (name, bytes, seconds, GB/s)" run.txt '<snapshot[^>]*> .*wrote checkpoint-0+[0-9]+\.h5: [0-9]+ bytes in [0-9.]+ s \([0-9.e+-]+ GB/s\), 2 DMs, by 2 ranks'
has "info: an old numbered file removed (keep 2)" run.txt '<snapshot[^>]*> .*removed checkpoint-0+1\.h5'
has "info: an hdf5 capture" run.txt "<snapshot[^>]*> .*capture [0-9]+ \(hdf5\) of DM \"mesh\" \(2 DMs\): $num"
has "info: a file loaded (writers, readers, bytes, seconds, GB/s)" restart.txt '<snapshot[^>]*> .*loaded checkpoint-0+[0-9]+\.h5 \(written by 2 ranks, read by 3\): [0-9]+ bytes on this rank in [0-9.]+ s \([0-9.e+-]+ GB/s\)'
has "info: the mesh redistributed by PETSc's loader (points on the rank)" restart.txt '<snapshot[^>]*> .*DM "mesh": coordinates redistributed from checkpoint-0+[0-9]+\.h5 by PETSc.s DMPlex loader onto 3 ranks, [0-9]+ mesh points'
has "info: the particles placed (sent, received)" restart.txt '<snapshot[^>]*> .*swarm "particles" placed by its cell DM: [0-9]+ of this rank.s [0-9]+ particles sent to other ranks, [0-9]+ received'
has "info: the hdf5 restore" restart.txt "<snapshot[^>]*> .*restore 1 \(hdf5\) of DM \"mesh\" \(2 DMs\): $num"
hasnot "-info :snapshot shows no other class's messages" mem.txt '^\[[0-9]+\] <(vec|mat|dm|sys|ts|snes|ksp|pc)>'
hasnot "-info :~snapshot shows none of ours" excluded.txt '<snapshot[:>]'
has "-info :~snapshot still shows the others" excluded.txt '^\[[0-9]+\] <(vec|mat|dm|sys|ts|snes|ksp|pc)>'

rate='[0-9.e+-]+ GB/s( \([0-9.e+-]+ MB/s\))?$'
has "monitor: one line per memory capture (bytes, seconds, GB/s)" mem.txt "^Snapshot capture [0-9]+: type memory, DM \"mesh\" \(1 DM\), [0-9]+ bytes, [0-9.]+ s, $rate"
has "monitor: one line per memory restore" mem.txt "^Snapshot restore [0-9]+: type memory, DM \"mesh\" \(1 DM\), [0-9]+ bytes, [0-9.]+ s, $rate"
has "monitor: hdf5 capture" run.txt '^Snapshot capture 1: type hdf5, DM "mesh" \(2 DMs\)'
has "monitor: hdf5 restore" restart.txt '^Snapshot restore 1: type hdf5, DM "mesh" \(2 DMs\)'
restored=$(sed -nE 's/^Snapshot restore 1: type hdf5, DM "mesh" \(2 DMs\), ([0-9]+) bytes.*/\1/p' restart.txt)
if [ -n "$restored" ] && [ "$restored" -gt 0 ] && grep -qE "^Snapshot capture [0-9]+: type hdf5, DM \"mesh\" \(2 DMs\), $restored bytes" run.txt; then
  echo "ok: monitor: the restore on 3 ranks counts the bytes the capture on 2 counted ($restored)"; passed=$((passed + 1))
else echo "FAIL: monitor: the restore on 3 ranks counts ${restored:-no} bytes, no capture on 2 counted as many"; failed=$((failed + 1)); fi
captures=$(grep -cE '<snapshot[^>]*> .*capture [0-9]+ \(memory\)' mem.txt); lines=$(grep -cE '^Snapshot capture' mem.txt)
if [ "$captures" -gt 0 ] && [ "$captures" = "$lines" ]; then echo "ok: as many monitor lines as captures ($lines)"; passed=$((passed + 1))
else echo "FAIL: $lines monitor lines for $captures captures"; failed=$((failed + 1)); fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
