package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordAuthorityTest {
    static final GroupSpecifier GUARDED = new GroupSpecifier("g").setPostingEnabled(true).setPostingPassword("pw", "s");
    static final MessageId ID = MessageId.ofBody(new byte[] {1, 2, 3});

    @Test
    void withoutAPasswordAnyoneMayPostAndNoProofIsNeeded() {
        PasswordAuthority open = PasswordAuthority.posting(GroupSpec.parse(
                new GroupSpecifier("g").setPostingEnabled(true).groupspecWithAuthorizations()));
        assertThat(open.permits()).isTrue();
        assertThat(open.proof(ID.bytes())).isEmpty();
        assertThat(open.accepts(ID.bytes(), new byte[0])).isTrue();
    }

    @Test
    void aHolderOfThePasswordProvesItAndRefusesWrongProofs() {
        PasswordAuthority holder = PasswordAuthority.posting(GroupSpec.parse(GUARDED.groupspecWithAuthorizations()));
        PasswordAuthority other = PasswordAuthority.posting(GroupSpec.parse(GUARDED.groupspecWithAuthorizations()));
        byte[] proof = holder.proof(ID.bytes());
        assertThat(holder.permits()).isTrue();
        assertThat(proof).hasSize(32);
        assertThat(other.accepts(ID.bytes(), proof)).isTrue();
        assertThat(other.accepts(MessageId.ofBody(new byte[] {9}).bytes(), proof)).as("a proof for another message").isFalse();
        assertThat(other.accepts(ID.bytes(), new byte[0])).as("no proof").isFalse();
        byte[] forged = proof.clone();
        forged[0] ^= 1;
        assertThat(other.accepts(ID.bytes(), forged)).isFalse();
    }

    @Test
    void aMemberWithoutThePasswordMayNotPostAndCannotCheckProofs() {
        PasswordAuthority reader = PasswordAuthority.posting(GroupSpec.parse(GUARDED.groupspecWithoutAuthorizations()));
        assertThat(reader.permits()).isFalse();
        assertThat(reader.accepts(ID.bytes(), new byte[0])).isTrue();
        PasswordAuthority wrong = PasswordAuthority.posting(GroupSpec.parse(GUARDED.groupspecWithoutAuthorizations()
                + GroupSpecifier.encodePostingAuthorization("not the password")));
        assertThat(wrong.permits()).isFalse();
    }
}
