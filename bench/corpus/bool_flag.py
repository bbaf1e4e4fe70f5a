# A primality test with a bool flag and break, returning the bool; primes counted below 120k.
def is_prime(n):
    prime = n >= 2
    d = 2
    while d * d <= n:
        if n % d == 0:
            prime = False
            break
        d += 1
    return prime
count = 0
for n in range(120_000):
    if is_prime(n):
        count += 1
print(count)
