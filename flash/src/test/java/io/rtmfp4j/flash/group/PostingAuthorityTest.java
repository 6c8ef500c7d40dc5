package io.rtmfp4j.flash.group;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostingAuthorityTest {
    static final GroupSpecifier GUARDED = new GroupSpecifier("g").setPostingEnabled(true).setPostingPassword("pw", "s");
    static final MessageId ID = MessageId.ofBody(new byte[] {1, 2, 3});

    @Test
    void withoutAPasswordAnyoneMayPostAndNoProofIsNeeded() {
        PostingAuthority open = new PostingAuthority(GroupSpec.parse(
                new GroupSpecifier("g").setPostingEnabled(true).groupspecWithAuthorizations()));
        assertThat(open.mayPost()).isTrue();
        assertThat(open.proof(ID)).isEmpty();
        assertThat(open.accepts(ID, new byte[0])).isTrue();
    }

    @Test
    void aHolderOfThePasswordProvesItAndRefusesWrongProofs() {
        PostingAuthority holder = new PostingAuthority(GroupSpec.parse(GUARDED.groupspecWithAuthorizations()));
        PostingAuthority other = new PostingAuthority(GroupSpec.parse(GUARDED.groupspecWithAuthorizations()));
        byte[] proof = holder.proof(ID);
        assertThat(holder.mayPost()).isTrue();
        assertThat(proof).hasSize(32);
        assertThat(other.accepts(ID, proof)).isTrue();
        assertThat(other.accepts(MessageId.ofBody(new byte[] {9}), proof)).as("a proof for another message").isFalse();
        assertThat(other.accepts(ID, new byte[0])).as("no proof").isFalse();
        byte[] forged = proof.clone();
        forged[0] ^= 1;
        assertThat(other.accepts(ID, forged)).isFalse();
    }

    @Test
    void aMemberWithoutThePasswordMayNotPostAndCannotCheckProofs() {
        PostingAuthority reader = new PostingAuthority(GroupSpec.parse(GUARDED.groupspecWithoutAuthorizations()));
        assertThat(reader.mayPost()).isFalse();
        assertThat(reader.accepts(ID, new byte[0])).isTrue();
        PostingAuthority wrong = new PostingAuthority(GroupSpec.parse(GUARDED.groupspecWithoutAuthorizations()
                + GroupSpecifier.encodePostingAuthorization("not the password")));
        assertThat(wrong.mayPost()).isFalse();
    }
}
