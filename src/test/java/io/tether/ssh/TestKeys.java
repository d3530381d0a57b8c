package io.tether.ssh;

/** Public key lines made with ssh-keygen, and the fingerprints {@code ssh-keygen -l} printed. */
final class TestKeys {
  private TestKeys() {}

  static final String ED25519 =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPVPFezz4BvsQMWQiZQQul1ED6a9KNUNT2xpuHmZx6o+ alice@laptop";
  static final String ED25519_FINGERPRINT = "SHA256:wuy59U/M6gR1ezDIZI1T5AjdM/8/rhHtWvA7qkgOpVE";

  static final String ECDSA =
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBOfDuAtgCRA08dChZgsACr9/AAo+J+ErCwcMCBEKeEpXtXWndbgNZ1GSKi1UqIr4GVb2L1e0o6DMqq6NQiaz74w= bob";
  static final String ECDSA_FINGERPRINT = "SHA256:eRh0Aa5lTfaCyeyGg+DmwtwQN18No8/Wj3IuLhyUgIY";

  static final String RSA =
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDYHSa0z/vXWSGIKdVXAa721ebhXyqSPne2LgpNBRdcvaqLOgCYDAJKZ25teEF3HqeBHwqflUtusZaYu8K6UFpaaNc0FIxPMgz1PK1N4Fcrlrr8rsctXNPyWOVnCpfe68T1SMV0fbFTbqPIhP2x+0weSMV8Y3DEhZiJDOFk3SLo+04U/tImkswSA/YDqH5SlhbuRlLgqmSLEwScwb/HsFj+gGj/yTqVoELw/u8+F792XspUFf9h18/shEfAn+3w+rYA3z0UnVnPHMMPWgzT3rHpA0K4Jao3+oAlMmHHrY+14CXc03/y9ntAn9vc6snXvXWMfvmc5BVq2rL420IoZ0M1 carol";
  static final String RSA_FINGERPRINT = "SHA256:GEN2u2KhrMOkxGl6sx0PFxJnxkVEsg3sj4ubLbSqGNA";
}
