# Runs a ZMODEM sender and receiver connected through pipes, one playing the device, and logs both
# directions interleaved in causal order: records of [direction 'O' (device output) or 'I' (input)][u32 length][bytes].
import subprocess, os, sys, threading, struct
name, device_cmd, user_cmd = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
prefix = sys.argv[4].encode() if len(sys.argv) > 4 else b''
os.makedirs('dev', exist_ok=True); os.makedirs('usr', exist_ok=True)
lock = threading.Lock(); log = open(name + '.zlog', 'wb')
def rec(d, data):
    with lock:
        log.write(d + struct.pack('>I', len(data)) + data); log.flush()
if prefix: rec(b'O', prefix)
dev = subprocess.Popen(device_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd='dev')
usr = subprocess.Popen(user_cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd='usr')
def pump(src, dst, d):
    while True:
        data = os.read(src.fileno(), 65536)
        if not data: break
        with lock:
            log.write(d + struct.pack('>I', len(data)) + data); log.flush()
        try: dst.write(data); dst.flush()
        except BrokenPipeError: pass
t1 = threading.Thread(target=pump, args=(dev.stdout, usr.stdin, b'O')); t2 = threading.Thread(target=pump, args=(usr.stdout, dev.stdin, b'I'))
t1.start(); t2.start(); dev.wait(); usr.wait()
t1.join(2); t2.join(2)
rec(b'O', b'\r\n$ ')
print(name, dev.returncode, usr.returncode)
