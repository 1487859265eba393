#!/usr/bin/env bash
# A real one-node Slurm cluster on loopback, for CI: munged, slurmctld and slurmd from
# Debian's packages, started by hand (no systemd) and stopped by their pids.
#
#   tools/ci/slurm.sh start DIR   # install if missing, write DIR/slurm.conf, start, wait for an idle node
#   tools/ci/slurm.sh stop DIR    # stop the daemons started by `start DIR` (by pid)
#
# After `start`, `export SLURM_CONF=DIR/slurm.conf` points sbatch/squeue/sinfo at it.
# Recipe: shared/reference/round2-anchors.md §2.1 (tried on a machine of this kind).
set -euo pipefail

action=${1:?usage: slurm.sh start|stop DIR}
dir=${2:?usage: slurm.sh start|stop DIR}

install() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null \
    && command -v munged >/dev/null; then
    return
  fi
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq --no-install-recommends \
    slurmctld slurmd slurm-client munge >/dev/null
}

start() {
  install
  mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
  dir=$(cd "$dir" && pwd)
  # munged runs as the munge user and must reach its folder (mktemp -d makes 0700 folders).
  chmod 755 "$dir" "$(dirname "$dir")"
  # munge: its own socket, key and pid under DIR so a machine's own munged is left alone.
  if [ ! -f /etc/munge/munge.key ]; then
    /usr/sbin/mungekey --create --keyfile=/etc/munge/munge.key 2>/dev/null || \
      dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
    chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
  fi
  chown munge:munge "$dir/munge"
  runuser -u munge -- /usr/sbin/munged --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"
  host=$(hostname -s)
  cpus=$(nproc)
  mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 8 / 10 ))
  cat > "$dir/slurm.conf" <<CONF
ClusterName=bulwark-ci
SlurmctldHost=${host}(127.0.0.1)
SlurmctldAddr=127.0.0.1
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=${mem_mb} State=UNKNOWN
PartitionName=ci Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  /usr/sbin/slurmctld -D -f "$SLURM_CONF" >"$dir/slurmctld.out" 2>&1 &
  echo $! >"$dir/slurmctld.bgpid"
  for _ in $(seq 1 50); do scontrol ping >/dev/null 2>&1 && break; sleep 0.2; done
  /usr/sbin/slurmd -D -f "$SLURM_CONF" >"$dir/slurmd.out" 2>&1 &
  echo $! >"$dir/slurmd.bgpid"
  for _ in $(seq 1 150); do
    if sinfo -h -o '%T' 2>/dev/null | grep -q idle; then
      echo "slurm: node ${host} idle (SLURM_CONF=$SLURM_CONF)"
      return
    fi
    sleep 0.2
  done
  echo "slurm: the node did not come up; logs:" >&2
  tail -n 20 "$dir"/slurmctld.log "$dir"/slurmd.log >&2 || true
  exit 1
}

stop() {
  for f in slurmd.bgpid slurmctld.bgpid munge/munged.pid; do
    if [ -f "$dir/$f" ]; then
      pid=$(cat "$dir/$f")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$f"
    fi
  done
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: slurm.sh start|stop DIR" >&2; exit 2 ;;
esac
