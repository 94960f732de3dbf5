// SPDX-License-Identifier: GPL-2.0-only
/*
 * vgpu-guest: the whole "operating system" of the VM that the real QEMU
 * runs in the VMM scenarios (tests/qemu/guest/vmm.sh).  It is the VM's
 * firmware (QEMU -bios, a 64 KiB ROM image; no SeaBIOS, whose POST takes
 * half a minute under TCG inside a TCG test VM): from the reset vector
 * into 32-bit protected mode, no interrupts, no paging, code in ROM, data
 * in RAM at 64 KiB, stack below 448 KiB.
 *
 * It finds every vGPU of ours on PCI bus 0 (1af4:10f0, guest_id=virtual),
 * assigns its BARs (vGPU d: BAR2 at 0xe0000000 + 4 MiB d, BAR0 2 MiB
 * above) and turns on memory decoding, as firmware would, then writes
 * through QEMU's vfio-pci BARs into the device, which is what makes the
 * device state that migrates:
 *   - scratch registers 0-13 of BAR0 (offset 0x10 + 4 r): a pattern;
 *   - every second page of BAR2 (graphics memory), up to 8 pages: a
 *     pattern in every dword (the pages between stay unwritten, so the
 *     stream must leave them out and the target must read them as zero);
 *   - scratch register 15: a status word, scratch register 14: a round.
 * Mode (QEMU -fw_cfg name=opt/migver/mode,string=<mode>): "fill" writes
 * the pattern once, sets status
 * FILLED and halts.  "dirty=<n>" fills, sets status RUNNING and then runs
 * n rounds on vGPU 0; round k reads 8 dwords of every written page,
 * checks that each holds the value round k-1 left there and writes the
 * value of round k (so writes keep dirtying pages during PRE_COPY, and a
 * state that a migration lost or corrupted is seen by the guest itself);
 * finally it reads every dword of BAR2 and the scratch registers back and
 * sets status GOOD, or BAD with the number of wrong dwords in the low 16
 * bits (the first wrong one of the rounds and up to 7 of the final check
 * told on the debug console: where, read, wanted), and halts.  The
 * scenario reads the status with QMP's pmemsave.  Transcript on the debug
 * console (port 0xe9).
 */
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

#define VGPU_ID 0x10f01af4u /* device << 16 | vendor, guest_id=virtual */
#define MAX_DEVS 4
#define MAX_PAGES 8
#define MAX_MISSES 8 /* wrong dwords told on the console */
#define PAGE 4096u
#define SCRATCH 0x10u /* BAR0 offset of scratch register 0 */
#define REG_ROUND 14
#define REG_STATUS 15

#define ST_FILLED 0xf111ed00u
#define ST_RUNNING 0x5eed0000u
#define ST_GOOD 0x600d600du
#define ST_BAD 0xbad00000u

void vg_main(void);

/*
 * Reset: real mode at 0xfffffff0 (CS base 0xffff0000).  Load a flat GDT,
 * enter protected mode, far-jump to 32-bit code, zero .bss, set a stack.
 */
__asm__(".section .reset, \"ax\"\n"
	".code16\n"
	"	jmp start16\n"
	".section .text16, \"ax\"\n"
	".globl start16\n"
	"start16:\n"
	"	cli\n"
	/* .text16 starts the ROM: the offset in CS is gdt_desc - start16 */
	"	lgdtl %cs:(gdt_desc - start16)\n"
	"	movl %cr0, %eax\n"
	"	orl $1, %eax\n"
	"	movl %eax, %cr0\n"
	"	ljmpl $0x08, $start32\n"
	".balign 8\n"
	"gdt:\n"
	"	.quad 0\n"
	"	.quad 0x00cf9a000000ffff\n"
	"	.quad 0x00cf92000000ffff\n"
	"gdt_desc:\n"
	"	.word 23\n"
	"	.long gdt\n"
	".code32\n"
	".text\n"
	"start32:\n"
	"	movw $0x10, %ax\n"
	"	movw %ax, %ds\n"
	"	movw %ax, %es\n"
	"	movw %ax, %ss\n"
	"	movw %ax, %fs\n"
	"	movw %ax, %gs\n"
	"	movl $0x70000, %esp\n"
	"	movl $__bss_start, %edi\n"
	"	movl $__bss_end, %ecx\n"
	"	subl %edi, %ecx\n"
	"	xorl %eax, %eax\n"
	"	rep stosb\n"
	"	call vg_main\n"
	"1:	cli\n"
	"	hlt\n"
	"	jmp 1b\n");

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outl(u16 port, u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u32 inl(u16 port)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void puts_(const char *s)
{
	while (*s)
		outb(0xe9, (u8)*s++);
}

static void puthex(u32 v)
{
	int i;

	puts_("0x");
	for (i = 28; i >= 0; i -= 4)
		outb(0xe9, (u8)"0123456789abcdef"[(v >> i) & 15]);
}

static void putdec(u32 v)
{
	char b[12];
	int i = 11;

	b[i] = 0;
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_(b + i);
}

static u32 pci_rd(u32 dev, u32 off)
{
	outl(0xcf8, 0x80000000u | dev << 11 | off);
	return inl(0xcfc);
}

static void pci_wr(u32 dev, u32 off, u32 v)
{
	outl(0xcf8, 0x80000000u | dev << 11 | off);
	outl(0xcfc, v);
}

static inline u32 rd(u32 addr)
{
	return *(volatile u32 *)addr;
}

static inline void wr(u32 addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

struct vgpu {
	u32 slot, bar0, bar2, size, npages;
};

static struct vgpu devs[MAX_DEVS];
static u32 ndevs;

/* The pattern: different in every dword, page and device. */
static u32 base(u32 d, u32 page, u32 i)
{
	u32 x = (d + 1) * 0x01000193u ^ (page * 1024 + i + 1) * 0x9e3779b9u;

	return x ^ x >> 15;
}

static u32 page_addr(const struct vgpu *v, u32 n)
{
	return v->bar2 + 2 * n * PAGE;
}

static void find(void)
{
	u32 s, cmd, base;

	for (s = 0; s < 32 && ndevs < MAX_DEVS; s++) {
		struct vgpu *v = &devs[ndevs];

		if (pci_rd(s, 0) != VGPU_ID)
			continue;
		v->slot = s;
		base = 0xe0000000u + ndevs * 0x400000u;
		cmd = pci_rd(s, 4) & 0xffff;
		pci_wr(s, 4, cmd & ~3u); /* decoding off while sizing */
		pci_wr(s, 0x18, 0xffffffffu);
		v->size = ~(pci_rd(s, 0x18) & ~0xfu) + 1;
		if (v->size > 0x200000)
			continue;
		pci_wr(s, 0x18, base);
		pci_wr(s, 0x10, base + 0x200000);
		pci_wr(s, 4, cmd | 2); /* memory space on */
		v->bar0 = pci_rd(s, 0x10) & ~0xfu;
		v->bar2 = pci_rd(s, 0x18) & ~0xfu;
		v->npages = v->size / (2 * PAGE);
		if (v->npages > MAX_PAGES)
			v->npages = MAX_PAGES;
		puts_("vgpu-guest: device ");
		putdec(ndevs);
		puts_(" slot ");
		putdec(s);
		puts_(" bar0 ");
		puthex(v->bar0);
		puts_(" bar2 ");
		puthex(v->bar2);
		puts_(" size ");
		puthex(v->size);
		puts_("\n");
		ndevs++;
	}
}

static void fill(void)
{
	u32 d, n, i, r;

	for (d = 0; d < ndevs; d++) {
		const struct vgpu *v = &devs[d];

		for (r = 0; r < REG_ROUND; r++)
			wr(v->bar0 + SCRATCH + 4 * r, 0xa5a50000u | d << 8 | r);
		for (n = 0; n < v->npages; n++)
			for (i = 0; i < PAGE / 4; i++)
				wr(page_addr(v, n) + 4 * i, base(d, n, i));
	}
}

static void status(u32 st)
{
	u32 d;

	for (d = 0; d < ndevs; d++)
		wr(devs[d].bar0 + SCRATCH + 4 * REG_STATUS, st);
}

static u32 misses;

/*
 * A wrong dword: counted, and the first MAX_MISSES told on the debug
 * console, so that a failure says how the device and the guest disagree
 * (read - want = the rounds the device is ahead of the guest's own count:
 * 1 if the migration sent the device's writes but lost some of the guest's
 * progress, negative if it lost device writes).
 */
static void miss(u32 k, u32 addr, u32 got, u32 want)
{
	if (misses++ >= MAX_MISSES)
		return;
	puts_("vgpu-guest: round ");
	putdec(k);
	puts_(" at ");
	puthex(addr);
	puts_(" read ");
	puthex(got);
	puts_(" want ");
	puthex(want);
	puts_("\n");
}

/*
 * The rounds of "dirty" mode, on vGPU 0: round k reads 8 dwords of every
 * written page, checks that each holds what round k - 1 left there and
 * writes the value of round k.  Returns the wrong dwords seen; the first
 * is kept in first_* (and told by vg_main()).
 *
 * In assembly, so that nothing but registers changes while the rounds
 * run: no store to RAM, the stack included, until a value was wrong.  The
 * device's state is what the scenario tests; the guest's RAM is QEMU's to
 * migrate.  The same loops in C, which kept their counters on the stack,
 * failed 3 times in 38 migrations of scenario 1b on 6.12 and 7.2 (QEMU
 * 10.0 and 11.1, the test VMs beside others): twice the guest read, in the
 * first round after the switchover, an address its own pattern never uses
 * (page 4's dwords at 0xe0007000, 0x1000 below that page: the zeros of an
 * unwritten page), so its stack and its registers disagreed; once it never
 * finished.  This version: 50 of 50 in the same setting.  Without stores,
 * a guest RAM page that reaches the destination stale cannot make the
 * guest misread the device.  The values: base(0, n, 128 j) + k at
 * bar2 + 0x2000 n + 0x200 j, for s = 8 n + j.
 */
static u32 dr_rounds, dr_limit, dr_bar2, dr_round_reg;
static u32 first_set, first_k, first_a, first_got, first_want;

static u32 dirty_rounds(u32 rounds)
{
	u32 bad;

	dr_rounds = rounds;
	dr_limit = devs[0].npages * 8;
	dr_bar2 = devs[0].bar2;
	dr_round_reg = devs[0].bar0 + SCRATCH + 4 * REG_ROUND;
	__asm__ volatile("push %%ebp\n\t"
			 "xor %%edi, %%edi\n\t"
			 "mov $1, %%ebp\n"
			 "1:\n\t" /* round k = %ebp */
			 "cmp %[rounds], %%ebp\n\t"
			 "ja 5f\n\t"
			 "xor %%esi, %%esi\n"
			 "2:\n\t" /* dword s = %esi */
			 "cmp %[limit], %%esi\n\t"
			 "jae 4f\n\t"
			 "mov %%esi, %%eax\n\t"
			 "shr $3, %%eax\n\t"
			 "shl $13, %%eax\n\t" /* n << 13 */
			 "mov %%esi, %%ecx\n\t"
			 "and $7, %%ecx\n\t"
			 "shl $9, %%ecx\n\t" /* j << 9 */
			 "lea (%%eax,%%ecx), %%ebx\n\t"
			 "add %[bar2], %%ebx\n\t" /* the address */
			 "shr $3, %%eax\n\t"
			 "shr $2, %%ecx\n\t"
			 "lea 1(%%eax,%%ecx), %%eax\n\t" /* 1024 n + 128 j + 1 */
			 "imul $0x9e3779b9, %%eax, %%eax\n\t"
			 "xor $0x01000193, %%eax\n\t"
			 "mov %%eax, %%edx\n\t"
			 "shr $15, %%edx\n\t"
			 "xor %%edx, %%eax\n\t" /* base(0, n, 128 j) */
			 "add %%ebp, %%eax\n\t" /* round k's value */
			 "lea -1(%%eax), %%edx\n\t" /* round k - 1's */
			 "mov (%%ebx), %%ecx\n\t"
			 "cmp %%edx, %%ecx\n\t"
			 "je 3f\n\t"
			 "inc %%edi\n\t"
			 "cmpl $0, %[fset]\n\t"
			 "jne 3f\n\t"
			 "movl $1, %[fset]\n\t"
			 "mov %%ebp, %[fk]\n\t"
			 "mov %%ebx, %[fa]\n\t"
			 "mov %%ecx, %[fgot]\n\t"
			 "mov %%edx, %[fwant]\n"
			 "3:\n\t"
			 "mov %%eax, (%%ebx)\n\t"
			 "inc %%esi\n\t"
			 "jmp 2b\n"
			 "4:\n\t"
			 "mov %[reg], %%eax\n\t"
			 "mov %%ebp, (%%eax)\n\t" /* the round register */
			 "inc %%ebp\n\t"
			 "jmp 1b\n"
			 "5:\n\t"
			 "pop %%ebp"
			 : "=&D"(bad), [fset] "+m"(first_set), [fk] "+m"(first_k),
			   [fa] "+m"(first_a), [fgot] "+m"(first_got),
			   [fwant] "+m"(first_want)
			 : [rounds] "m"(dr_rounds), [limit] "m"(dr_limit),
			   [bar2] "m"(dr_bar2), [reg] "m"(dr_round_reg)
			 : "eax", "ebx", "ecx", "edx", "esi", "cc", "memory");
	return bad;
}

/* Every dword of BAR2 and the scratch registers against the expectation. */
static u32 verify(u32 k)
{
	u32 d, p, i, a, got, want, bad = 0;

	for (d = 0; d < ndevs; d++) {
		const struct vgpu *v = &devs[d];

		for (i = 0; i < REG_ROUND; i++) {
			a = v->bar0 + SCRATCH + 4 * i;
			got = rd(a);
			want = 0xa5a50000u | d << 8 | i;
			if (got != want) {
				miss(k, a, got, want);
				bad++;
			}
		}
		for (p = 0; p < v->size / PAGE; p++)
			for (i = 0; i < PAGE / 4; i++) {
				if (p % 2 || p / 2 >= v->npages)
					want = 0;
				else
					want = base(d, p / 2, i) +
					       (i % 128 || d ? 0 : k);
				a = v->bar2 + p * PAGE + 4 * i;
				got = rd(a);
				if (got != want) {
					miss(k, a, got, want);
					bad++;
				}
			}
	}
	return bad;
}

/* The fw_cfg file opt/migver/mode into buf (empty if there is none). */
static void fw_mode(char *buf, u32 size)
{
	static const char name[] = "opt/migver/mode";
	u8 e[64];
	u32 n, i, j, len;

	buf[0] = 0;
	outw(0x510, 0x19); /* FW_CFG_FILE_DIR */
	for (j = 0; j < 4; j++)
		e[j] = inb(0x511);
	n = (u32)e[0] << 24 | (u32)e[1] << 16 | (u32)e[2] << 8 | e[3];
	for (i = 0; i < n && i < 256; i++) {
		for (j = 0; j < 64; j++)
			e[j] = inb(0x511);
		for (j = 0; j < sizeof(name) && e[8 + j] == (u8)name[j]; j++)
			;
		if (j < sizeof(name))
			continue;
		len = (u32)e[0] << 24 | (u32)e[1] << 16 | (u32)e[2] << 8 | e[3];
		if (len >= size)
			len = size - 1;
		outw(0x510, (u16)(e[4] << 8 | e[5]));
		for (j = 0; j < len; j++)
			buf[j] = (char)inb(0x511);
		buf[len] = 0;
		return;
	}
}

static char mode[64];

void vg_main(void)
{
	const char *arg = mode;
	u32 rounds = 0, bad;

	fw_mode(mode, sizeof(mode));
	if (arg[0] == 'd' && arg[1] == 'i' && arg[2] == 'r' && arg[3] == 't' &&
	    arg[4] == 'y' && arg[5] == '=')
		for (arg += 6; *arg >= '0' && *arg <= '9'; arg++)
			rounds = rounds * 10 + (u32)(*arg - '0');
	puts_("vgpu-guest: started, mode '");
	puts_(mode);
	puts_("', ");
	putdec(rounds);
	puts_(" rounds\n");
	find();
	if (!ndevs) {
		puts_("vgpu-guest: no vGPU found\n");
		return;
	}
	fill();
	if (!rounds) {
		status(ST_FILLED);
		puts_("vgpu-guest: filled\n");
		return;
	}
	status(ST_RUNNING);
	bad = dirty_rounds(rounds);
	if (first_set)
		miss(first_k, first_a, first_got, first_want);
	bad += verify(rounds);
	status(bad ? ST_BAD | (bad > 0xffff ? 0xffff : bad) : ST_GOOD);
	puts_("vgpu-guest: ");
	putdec(rounds);
	puts_(" rounds, ");
	putdec(bad);
	puts_(" wrong dwords\n");
}
