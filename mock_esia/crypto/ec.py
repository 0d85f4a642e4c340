"""Short-Weierstrass curve arithmetic in Jacobian coordinates, for verifying GOST R 34.10.

gostcrypto computes in affine coordinates with a Python extended Euclid per addition (≈50 ms
a verification); Jacobian coordinates need one inversion per scalar product, and Shamir's trick
computes z1·G + z2·Q in one pass (≈5 ms). Verification only: nothing secret is computed here,
so constant time does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass

Jacobian = tuple[int, int, int]
INFINITY: Jacobian = (1, 1, 0)


@dataclass(frozen=True)
class Curve:
    p: int
    a: int
    b: int
    q: int
    gx: int
    gy: int

    def double(self, point: Jacobian) -> Jacobian:
        x1, y1, z1 = point
        if z1 == 0 or y1 == 0:
            return INFINITY
        p = self.p
        xx, yy, zz = x1 * x1 % p, y1 * y1 % p, z1 * z1 % p
        yyyy = yy * yy % p
        s = 2 * ((x1 + yy) ** 2 - xx - yyyy) % p
        m = (3 * xx + self.a * zz * zz) % p
        x3 = (m * m - 2 * s) % p
        y3 = (m * (s - x3) - 8 * yyyy) % p
        z3 = ((y1 + z1) ** 2 - yy - zz) % p
        return x3, y3, z3

    def add(self, first: Jacobian, second: Jacobian) -> Jacobian:
        x1, y1, z1 = first
        x2, y2, z2 = second
        if z1 == 0:
            return second
        if z2 == 0:
            return first
        p = self.p
        z1z1, z2z2 = z1 * z1 % p, z2 * z2 % p
        u1, u2 = x1 * z2z2 % p, x2 * z1z1 % p
        s1, s2 = y1 * z2 * z2z2 % p, y2 * z1 * z1z1 % p
        h, r = (u2 - u1) % p, 2 * (s2 - s1) % p
        if h == 0:
            return self.double(first) if r == 0 else INFINITY
        i = 4 * h * h % p
        j = h * i % p
        v = u1 * i % p
        x3 = (r * r - j - 2 * v) % p
        y3 = (r * (v - x3) - 2 * s1 * j) % p
        z3 = ((z1 + z2) ** 2 - z1z1 - z2z2) * h % p
        return x3, y3, z3

    def affine_x(self, point: Jacobian) -> int | None:
        x, _, z = point
        if z == 0:
            return None
        return x * pow(z * z % self.p, -1, self.p) % self.p

    def on_curve(self, x: int, y: int) -> bool:
        return (y * y - x * x * x - self.a * x - self.b) % self.p == 0

    def linear_combination(self, k1: int, k2: int, qx: int, qy: int) -> Jacobian:
        """k1·G + k2·Q with Shamir's trick: one run over the bits of both scalars."""
        g: Jacobian = (self.gx, self.gy, 1)
        q: Jacobian = (qx, qy, 1)
        table = {(1, 0): g, (0, 1): q, (1, 1): self.add(g, q)}
        result = INFINITY
        for bit in range(max(k1.bit_length(), k2.bit_length()) - 1, -1, -1):
            result = self.double(result)
            pair = ((k1 >> bit) & 1, (k2 >> bit) & 1)
            if pair != (0, 0):
                result = self.add(result, table[pair])
        return result


def gost_verify(curve: Curve, qx: int, qy: int, e: int, r: int, s: int) -> bool:
    """GOST R 34.10-2012 verification of (r, s) over the digest number `e` with the key (qx, qy).

    How bytes become these numbers (digest read little-endian, s‖r) is the caller's business:
    `mock_esia.crypto.gost` does it the way OpenSSL's GOST engine and CryptoPro do.
    """
    if not (0 < r < curve.q and 0 < s < curve.q) or not curve.on_curve(qx, qy):
        return False
    e = e % curve.q or 1
    v = pow(e, -1, curve.q)
    z1, z2 = s * v % curve.q, -r * v % curve.q
    x = curve.affine_x(curve.linear_combination(z1, z2, qx, qy))
    return x is not None and x % curve.q == r


def gost_sign(curve: Curve, private: int, e: int, nonce: int) -> tuple[int, int]:
    """(r, s) of GOST R 34.10-2012 with the given nonce; `None`-free: the caller retries on 0.

    The mock signs only its own test tokens with this; the nonce comes from `secrets`.
    """
    e = e % curve.q or 1
    point = curve.linear_combination(nonce, 0, curve.gx, curve.gy)
    x = curve.affine_x(point)
    r = (x or 0) % curve.q
    s = (r * private + nonce * e) % curve.q
    return r, s
