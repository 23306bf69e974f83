#!/usr/bin/perl
# Relays between this process's stdio and a conmon attach socket.
#
# Why perl: conmon's attach socket is AF_UNIX SOCK_SEQPACKET, which Node cannot open, and perl-base
# is Essential in Debian (always installed), so nothing is compiled or installed for this.
#
# Usage (cwd = the directory holding the socket, so its path never hits the 108-byte limit):
#   perl attach-relay.pl attach [no-stdin]
# With no-stdin the relay never reads its stdin and never half-closes. (conmon still takes the end of
# any session as the end of input of a stdinOnce container, as it does under CRI-O.)
# Protocol (conmon src/conn_sock.c, src/ctr_stdio.c, src/utils.h): every packet from conmon is one byte naming the
# stream (2 stdout, 3 stderr) and then the data; every packet to conmon is raw stdin data. Closing
# our write side tells conmon stdin ended (it then closes the container's stdin unless it was
# started with --leave-stdin-open). conmon closes the socket when the process has exited and its
# output is drained; then this relay exits 0.
# fd 3 gets "connected\n" once the connection is queued, or the reason it failed (exit 2).
use strict;
use warnings;
use Socket qw(AF_UNIX SOCK_SEQPACKET SHUT_WR pack_sockaddr_un);
use IO::Select;

open(my $status, '>&=', 3) or die "attach-relay: fd 3 is not open: $!\n";
$status->autoflush(1);

sub fail {
    print $status "$_[0]\n";
    exit 2;
}

my $path = $ARGV[0] // fail('usage: attach-relay.pl SOCKET');
socket(my $sock, AF_UNIX, SOCK_SEQPACKET, 0) or fail("socket: $!");
connect($sock, pack_sockaddr_un($path)) or fail("connect $path: $!");
print $status "connected\n";
close($status);

binmode(STDIN);
binmode(STDOUT);
binmode(STDERR);

# Writes all of $data to $fh (a pipe may take it in parts).
sub write_all {
    my ($fh, $data) = @_;
    while (length $data) {
        my $n = syswrite($fh, $data);
        exit 0 unless defined $n;    # our reader went away
        substr($data, 0, $n, '');
    }
}

my $sel = IO::Select->new($sock);
$sel->add(\*STDIN) unless ($ARGV[1] // '') eq 'no-stdin';
for (;;) {
    my @ready = $sel->can_read;
    if (!@ready) {
        next if $!{EINTR};
        last;
    }
    for my $fh (@ready) {
        if (fileno($fh) == fileno($sock)) {
            # On SEQPACKET one read returns exactly one packet (conmon sends at most 8193 bytes).
            my $n = sysread($sock, my $packet, 65536);
            exit 0 unless $n;
            my $stream = ord(substr($packet, 0, 1));
            write_all($stream == 3 ? \*STDERR : \*STDOUT, substr($packet, 1));
        } else {
            # conmon reads at most 32767 bytes per packet (CONN_SOCK_BUF_SIZE - 1).
            my $n = sysread(STDIN, my $input, 32767);
            if (!$n) {
                shutdown($sock, SHUT_WR);
                $sel->remove(\*STDIN);
                next;
            }
            defined(send($sock, $input, 0)) or exit 0;
        }
    }
}
exit 0;
