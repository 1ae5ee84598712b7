r1 = 5
loop: r1 -= 1
if r1 != 0 goto loop
r0 = *(u32 *)(r10 - 4)
lock *(u64 *)(r1 + 0) += r2
r1 = 0x1234 ll
call bpf_map_lookup_elem
exit
